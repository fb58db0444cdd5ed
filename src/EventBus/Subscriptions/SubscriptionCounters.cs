namespace EventBus;

/// <summary>
/// A snapshot of what one subscription did. <see cref="Matched"/> is counted as events arrive and each outcome as it
/// happens; whenever no event is on its way into the subscription, <see cref="Matched"/> equals
/// <see cref="Delivered"/> + <see cref="Failed"/> + <see cref="Dropped"/> + <see cref="Unhandled"/> + <see cref="Filtered"/>
/// + <see cref="Expired"/> + <see cref="Pending"/>.
/// </summary>
public readonly record struct SubscriptionCounters
{
    /// <summary>Gets events routed to the subscription, including dead letters redelivered to it.</summary>
    public long Matched { get; init; }

    /// <summary>Gets events whose handler completed successfully (on any attempt).</summary>
    public long Delivered { get; init; }

    /// <summary>Gets events whose handler failed on the last attempt; they went to the dead-letter queue unless it is off for the subscription.</summary>
    public long Failed { get; init; }

    /// <summary>Gets events dropped because the subscription's buffer was full.</summary>
    public long Dropped { get; init; }

    /// <summary>Gets events discarded because the subscription was removed or the bus stopped past its deadline.</summary>
    public long Unhandled { get; init; }

    /// <summary>Gets events buffered, waiting for a retry, or being handled now.</summary>
    public long Pending { get; init; }

    /// <summary>Gets events that an asynchronous predicate (<see cref="EventFilter.WhereAsync"/>) turned away in the subscription's lane.</summary>
    public long Filtered { get; init; }

    /// <summary>Gets events whose expiry passed before they could be delivered.</summary>
    public long Expired { get; init; }

    /// <summary>Gets retry attempts made (not events: one event may be retried several times).</summary>
    public long Retried { get; init; }

    /// <summary>Gets events this subscription sent to the dead-letter queue (failed or expired).</summary>
    public long DeadLettered { get; init; }
}
