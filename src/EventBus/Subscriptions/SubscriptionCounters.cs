namespace EventBus;

/// <summary>
/// A snapshot of what one subscription did. <see cref="Matched"/> always equals
/// <see cref="Delivered"/> + <see cref="Failed"/> + <see cref="Dropped"/> + <see cref="Unhandled"/> + <see cref="Filtered"/>
/// + <see cref="Expired"/> + <see cref="Pending"/>.
/// </summary>
/// <param name="Matched">Events routed to the subscription, including dead letters redelivered to it.</param>
/// <param name="Delivered">Events whose handler completed successfully (on any attempt).</param>
/// <param name="Failed">Events whose handler failed on the last attempt; they went to the dead-letter queue unless it is off for the subscription.</param>
/// <param name="Dropped">Events dropped because the subscription's buffer was full.</param>
/// <param name="Unhandled">Events discarded because the subscription was removed or the bus stopped past its deadline.</param>
/// <param name="Pending">Events buffered, waiting for a retry, or being handled now.</param>
/// <param name="Filtered">Events that an asynchronous predicate (<see cref="EventFilter.WhereAsync"/>) turned away in the subscription's lane.</param>
/// <param name="Expired">Events whose expiry passed before they could be delivered.</param>
/// <param name="Retried">Retry attempts made (not events: one event may be retried several times).</param>
/// <param name="DeadLettered">Events this subscription sent to the dead-letter queue (failed or expired).</param>
public readonly record struct SubscriptionCounters(
    long Matched,
    long Delivered,
    long Failed,
    long Dropped,
    long Unhandled,
    long Pending,
    long Filtered = 0,
    long Expired = 0,
    long Retried = 0,
    long DeadLettered = 0);
