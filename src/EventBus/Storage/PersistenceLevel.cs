namespace EventBus;

/// <summary>How durably the bus stores an event it publishes, when a store is configured.</summary>
public enum PersistenceLevel
{
    /// <summary>Not stored.</summary>
    Temporary = 0,

    /// <summary>Stored; the write may be batched with others, so a crash can lose the last moments of standard events.</summary>
    Standard = 1,

    /// <summary>Stored and flushed before publishing returns: once <c>PublishAsync</c> has returned, the event survives a crash.</summary>
    Critical = 2,
}
