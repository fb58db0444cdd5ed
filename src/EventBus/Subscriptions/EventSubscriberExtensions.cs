namespace EventBus;

/// <summary>Shorthands for common subscriptions.</summary>
public static class EventSubscriberExtensions
{
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
