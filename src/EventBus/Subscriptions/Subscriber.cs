namespace EventBus;

/// <summary>
/// A named subscriber: every subscription made through it carries its <see cref="Id"/> as the
/// <see cref="SubscriptionOptions.SubscriberId"/>, and it lists, pauses, resumes and removes them together. Create one
/// with <see cref="EventSubscriberExtensions.CreateSubscriber"/>. It keeps no state of its own: its subscriptions are
/// the bus's live subscriptions with its id, so two handles with one id see the same subscriptions. Every
/// <c>Subscribe</c> shorthand of <see cref="EventSubscriberExtensions"/> works on it.
/// </summary>
public sealed class Subscriber : IEventSubscriber
{
    private readonly IEventSubscriber _bus;

    internal Subscriber(IEventSubscriber bus, string id)
    {
        _bus = bus;
        Id = id;
    }

    /// <summary>Gets the subscriber id its subscriptions carry; it names them in logs, metrics and dead letters.</summary>
    public string Id { get; }

    /// <summary>Gets the bus's live subscriptions with this subscriber id, in the order they were made.</summary>
    public IReadOnlyList<ISubscription> Subscriptions => [.. _bus.Subscriptions.Where(s => string.Equals(s.SubscriberId, Id, StringComparison.Ordinal))];

    /// <summary>Subscribes <paramref name="handler"/> under this subscriber's id; see <see cref="IEventSubscriber.Subscribe"/>.</summary>
    /// <param name="filter">Selects the events to receive.</param>
    /// <param name="handler">Handles one event.</param>
    /// <param name="options">Per-subscription settings, or null for the defaults. Their <see cref="SubscriptionOptions.SubscriberId"/> must be null or this id; they are not changed.</param>
    /// <returns>A handle on the subscription.</returns>
    /// <exception cref="ArgumentException">The options name another subscriber, or hold values out of range.</exception>
    public ISubscription Subscribe(EventFilter filter, Func<EventEnvelope, CancellationToken, ValueTask> handler, SubscriptionOptions? options = null)
    {
        if (options?.SubscriberId is { } other && !string.Equals(other, Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"SubscriptionOptions.SubscriberId is '{Display.Escape(other)}', but this is subscriber '{Id}'; leave SubscriberId null, or subscribe through the bus or a subscriber with that id.", nameof(options));
        }

        SubscriptionOptions named = options?.Clone() ?? new SubscriptionOptions();
        named.SubscriberId = Id;
        return _bus.Subscribe(filter, handler, named);
    }

    /// <summary>Pauses every subscription of this subscriber (see <see cref="ISubscription.Pause"/>).</summary>
    /// <returns>The number of subscriptions paused.</returns>
    public int PauseAll() => ForEach(s => s.Pause());

    /// <summary>Resumes every subscription of this subscriber (see <see cref="ISubscription.Resume"/>).</summary>
    /// <returns>The number of subscriptions resumed.</returns>
    public int ResumeAll() => ForEach(s => s.Resume());

    /// <summary>
    /// Removes every subscription of this subscriber. When the task completes, none of their handlers is running or
    /// will run again; events still buffered for them are counted as unhandled.
    /// </summary>
    /// <returns>The number of subscriptions removed.</returns>
    public async Task<int> UnsubscribeAllAsync()
    {
        IReadOnlyList<ISubscription> subscriptions = Subscriptions;
        foreach (ISubscription subscription in subscriptions)
        {
            await subscription.UnsubscribeAsync().ConfigureAwait(false);
        }

        return subscriptions.Count;
    }

    /// <inheritdoc />
    public override string ToString() => $"Subscriber {Id} ({Subscriptions.Count} subscriptions)";

    private int ForEach(Action<ISubscription> action)
    {
        IReadOnlyList<ISubscription> subscriptions = Subscriptions;
        foreach (ISubscription subscription in subscriptions)
        {
            action(subscription);
        }

        return subscriptions.Count;
    }
}
