namespace EventBus;

/// <summary>What routing does when a subscription's buffer is full.</summary>
public enum SubscriptionFullMode
{
    /// <summary>
    /// The event is dropped for this subscription only (counted in <see cref="SubscriptionCounters.Dropped"/> and logged),
    /// so a slow or stuck subscriber never delays the others. This is the default.
    /// </summary>
    Drop = 0,

    /// <summary>
    /// Routing waits for room, so the subscription's pace reaches the publishers through the bus's own capacity and
    /// nothing is dropped. The price: while it waits, other subscriptions served by the same worker wait too, and a
    /// paused or stuck subscription in this mode eventually holds up dispatch.
    /// </summary>
    Wait = 1,
}
