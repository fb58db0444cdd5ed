namespace EventBus;

/// <summary>
/// A snapshot of what one subscription did. <see cref="Matched"/> always equals
/// <see cref="Delivered"/> + <see cref="Failed"/> + <see cref="Dropped"/> + <see cref="Unhandled"/> + <see cref="Filtered"/> + <see cref="Pending"/>.
/// </summary>
/// <param name="Matched">Events routed to the subscription.</param>
/// <param name="Delivered">Events whose handler completed successfully.</param>
/// <param name="Failed">Events whose handler threw.</param>
/// <param name="Dropped">Events dropped because the subscription's buffer was full.</param>
/// <param name="Unhandled">Events discarded because the subscription was removed or the bus stopped past its deadline.</param>
/// <param name="Pending">Events buffered or being handled now.</param>
/// <param name="Filtered">Events that an asynchronous predicate (<see cref="EventFilter.WhereAsync"/>) turned away in the subscription's lane.</param>
public readonly record struct SubscriptionCounters(long Matched, long Delivered, long Failed, long Dropped, long Unhandled, long Pending, long Filtered = 0);
