namespace EventBus;

/// <summary>Shorthands for common subscriptions, and named subscribers.</summary>
public static class EventSubscriberExtensions
{
    /// <summary>
    /// Creates a handle for a named subscriber: subscriptions made through it carry <paramref name="subscriberId"/>, and it
    /// lists, pauses, resumes and removes them together.
    /// </summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="subscriberId">The subscriber's id, such as <c>billing</c>: printable, without control characters.</param>
    /// <returns>The subscriber.</returns>
    /// <exception cref="ArgumentException">The id is empty or holds a control character.</exception>
    public static Subscriber CreateSubscriber(this IEventSubscriber subscriber, string subscriberId)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(subscriberId);
        new SubscriptionOptions { SubscriberId = subscriberId }.Validate(nameof(subscriberId));
        return new Subscriber(subscriber, subscriberId);
    }

    /// <summary>Subscribes to the events whose type matches <paramref name="typePattern"/> (see <see cref="EventFilter.Pattern"/>).</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="typePattern">An exact type, <c>prefix.*</c>, <c>prefix.#</c> or <c>*</c>.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe(
        this IEventSubscriber subscriber,
        string typePattern,
        Func<EventEnvelope, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return subscriber.Subscribe(EventFilter.Pattern(typePattern), handler);
    }

    /// <summary>Subscribes to the events whose type matches <paramref name="typePattern"/>, with options.</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="typePattern">An exact type, <c>prefix.*</c>, <c>prefix.#</c> or <c>*</c>.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="options">Per-subscription settings, or null for the defaults.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe(
        this IEventSubscriber subscriber,
        string typePattern,
        Func<EventEnvelope, CancellationToken, ValueTask> handler,
        SubscriptionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return subscriber.Subscribe(EventFilter.Pattern(typePattern), handler, options);
    }

    /// <summary>Subscribes a synchronous handler to the events whose type matches <paramref name="typePattern"/>, with options.</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="typePattern">An exact type, <c>prefix.*</c>, <c>prefix.#</c> or <c>*</c>.</param>
    /// <param name="handler">The handler; it runs on a bus thread and must not block for long.</param>
    /// <param name="options">Per-subscription settings, or null for the defaults.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe(
        this IEventSubscriber subscriber,
        string typePattern,
        Action<EventEnvelope> handler,
        SubscriptionOptions? options) =>
        subscriber.Subscribe(EventFilter.Pattern(typePattern), handler, options);

    /// <summary>Subscribes a synchronous handler to the events whose type matches <paramref name="typePattern"/>.</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="typePattern">An exact type, <c>prefix.*</c>, <c>prefix.#</c> or <c>*</c>.</param>
    /// <param name="handler">The handler; it runs on a bus thread and must not block for long.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe(
        this IEventSubscriber subscriber,
        string typePattern,
        Action<EventEnvelope> handler) =>
        subscriber.Subscribe(EventFilter.Pattern(typePattern), handler);

    /// <summary>Subscribes a synchronous handler to the events that pass <paramref name="filter"/>.</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="filter">Selects the events.</param>
    /// <param name="handler">The handler; it runs on a bus thread and must not block for long.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe(this IEventSubscriber subscriber, EventFilter filter, Action<EventEnvelope> handler) =>
        subscriber.Subscribe(filter, handler, options: null);

    /// <summary>Subscribes a synchronous handler to the events that pass <paramref name="filter"/>, with options.</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="filter">Selects the events.</param>
    /// <param name="handler">The handler; it runs on a bus thread and must not block for long.</param>
    /// <param name="options">Per-subscription settings, or null for the defaults.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe(this IEventSubscriber subscriber, EventFilter filter, Action<EventEnvelope> handler, SubscriptionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(handler);
        return subscriber.Subscribe(
            filter,
            (envelope, _) =>
            {
                handler(envelope);
                return ValueTask.CompletedTask;
            },
            options);
    }

    /// <summary>
    /// Subscribes to events that pass <paramref name="filter"/> and whose payload is a <typeparamref name="TPayload"/>;
    /// the handler receives the payload already typed.
    /// </summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="subscriber">The bus.</param>
    /// <param name="filter">Further selects events; <see cref="EventFilter.All"/> for every event with such a payload.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="options">Per-subscription settings, or null for the defaults.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe<TPayload>(
        this IEventSubscriber subscriber,
        EventFilter filter,
        Func<EventEnvelope, TPayload, CancellationToken, ValueTask> handler,
        SubscriptionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        return subscriber.Subscribe(
            filter.And(EventFilter.Payload<TPayload>()),
            (envelope, cancellationToken) => handler(envelope, (TPayload)envelope.Data!, cancellationToken),
            options);
    }

    /// <summary>Subscribes to every event whose payload is a <typeparamref name="TPayload"/>.</summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="subscriber">The bus.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A handle on the subscription.</returns>
    public static ISubscription Subscribe<TPayload>(
        this IEventSubscriber subscriber,
        Func<EventEnvelope, TPayload, CancellationToken, ValueTask> handler) =>
        subscriber.Subscribe(EventFilter.All, handler, options: null);
}
