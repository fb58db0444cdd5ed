using System.Diagnostics.CodeAnalysis;

namespace EventBus;

/// <summary>
/// A handle on a subscription: its identity, filter, state and counters, and the means to pause, resume
/// and remove it. Disposing the handle removes the subscription.
/// </summary>
public interface ISubscription : IAsyncDisposable
{
    /// <summary>Gets the subscription's unique id.</summary>
    Guid Id { get; }

    /// <summary>Gets the id of the component that subscribed.</summary>
    string SubscriberId { get; }

    /// <summary>Gets the filter that selects the subscription's events.</summary>
    EventFilter Filter { get; }

    /// <summary>Gets a readable description of the filter.</summary>
    string FilterDescription { get; }

    /// <summary>Gets the current state.</summary>
    SubscriptionState State { get; }

    /// <summary>Gets a snapshot of the subscription's counters.</summary>
    SubscriptionCounters Counters { get; }

    /// <summary>
    /// Stops invoking the handler after the current event; matching events are buffered (bounded by the buffer
    /// capacity) until <see cref="Resume"/>. Pausing a paused subscription does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The subscription was removed.</exception>
    void Pause();

    /// <summary>Delivers buffered events in order and resumes normal delivery. Resuming an active subscription does nothing.</summary>
    /// <exception cref="InvalidOperationException">The subscription was removed.</exception>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Pause and Resume are the names users expect; the clash is with a Visual Basic statement only.")]
    void Resume();

    /// <summary>
    /// Removes the subscription. When the returned task completes, the handler is not running and will never be
    /// invoked again, and events still buffered for it have been counted as <see cref="SubscriptionCounters.Unhandled"/>.
    /// Called from inside the subscription's own handler, it does not wait for that handler to return.
    /// </summary>
    /// <returns>A task that completes when the handler can no longer run.</returns>
    ValueTask UnsubscribeAsync();
}
