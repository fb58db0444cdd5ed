namespace EventBus;

/// <summary>Where an event stands, for one subscription (or, for <see cref="Published"/> and <see cref="Dropped"/>, for the bus).</summary>
public enum DeliveryState
{
    /// <summary>Accepted and routed by the bus; no subscription has taken it yet.</summary>
    Published = 0,

    /// <summary>Queued in the subscription's buffer.</summary>
    Queued = 1,

    /// <summary>The handler is running.</summary>
    Processing = 2,

    /// <summary>The handler completed successfully.</summary>
    Completed = 3,

    /// <summary>The handler failed on the last attempt and the subscription keeps no dead letters.</summary>
    Failed = 4,

    /// <summary>An attempt failed; another follows after the retry delay.</summary>
    Retrying = 5,

    /// <summary>The handler failed on the last attempt; the event is in the dead-letter queue.</summary>
    DeadLettered = 6,

    /// <summary>The event expired before it could be delivered.</summary>
    Expired = 7,

    /// <summary>The event was dropped by a full bus or a full subscription buffer.</summary>
    Dropped = 8,
}
