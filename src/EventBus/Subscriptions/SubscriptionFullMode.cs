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
    /// Nothing is dropped: the subscription takes the event anyway, and the event keeps its place of the bus's
    /// <see cref="EventBusOptions.Capacity"/> until the subscription catches up, so its pace reaches the publishers
    /// through the bus. Routing never waits, so other subscriptions keep receiving; but a paused or stuck subscription
    /// in this mode eventually holds every place of the bus, and publishers outside handlers then wait.
    /// </summary>
    Wait = 1,
}
