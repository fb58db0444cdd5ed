namespace EventBus;

/// <summary>Registers handlers for events.</summary>
public interface IEventSubscriber
{
    /// <summary>Gets the live subscriptions, in the order they were made.</summary>
    IReadOnlyList<ISubscription> Subscriptions { get; }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to the events that pass <paramref name="filter"/>. Subscriptions can be
    /// made before the bus starts and while events flow.
    /// </summary>
    /// <param name="filter">Selects the events to receive.</param>
    /// <param name="handler">Handles one event. Exceptions are caught, counted and logged; they never reach other subscriptions.</param>
    /// <param name="options">Per-subscription settings, or null for the defaults.</param>
    /// <returns>A handle on the subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> or <paramref name="handler"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> holds values out of range; the message lists every problem.</exception>
    ISubscription Subscribe(EventFilter filter, Func<EventEnvelope, CancellationToken, ValueTask> handler, SubscriptionOptions? options = null);
}
