namespace EventBus;

/// <summary>How one subscription finished with one event.</summary>
public enum DeliveryResult
{
    /// <summary>The handler completed successfully.</summary>
    Handled = 0,

    /// <summary>The handler threw; the exception is in <see cref="DeliveryOutcome.Exception"/>.</summary>
    Failed = 1,

    /// <summary>The subscription's buffer was full, so the event was dropped for it (counted and logged).</summary>
    Dropped = 2,

    /// <summary>The subscription was removed, or the bus stopped past its drain deadline, before the handler ran.</summary>
    Unhandled = 3,

    /// <summary>The subscription's asynchronous predicate (<see cref="EventFilter.WhereAsync"/>) turned the event away.</summary>
    Filtered = 4,

    /// <summary>The event expired before the subscription could handle it.</summary>
    Expired = 5,
}
