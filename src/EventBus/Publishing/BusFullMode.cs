namespace EventBus;

/// <summary>What publishing does when the bus already holds <see cref="EventBusOptions.Capacity"/> undispatched events.</summary>
public enum BusFullMode
{
    /// <summary>Publishing waits asynchronously for room; <see cref="IEventPublisher.TryPublish"/> returns false. This is the default.</summary>
    Wait = 0,

    /// <summary>
    /// Publishing throws <see cref="EventBusFullException"/>; <see cref="IEventPublisher.TryPublish"/> returns false.
    /// A rejected batch is rejected whole.
    /// </summary>
    Reject = 1,

    /// <summary>
    /// The new event is accepted and the oldest queued event of the lowest queued priority is dropped to make room,
    /// so urgent events survive a flood of background ones. Every drop is counted and logged.
    /// </summary>
    DropOldest = 2,

    /// <summary>
    /// The event being published is dropped (as <see cref="System.Threading.Channels.BoundedChannelFullMode.DropWrite"/>
    /// does): publishing returns normally and <see cref="IEventPublisher.TryPublish"/> returns false. Queued events
    /// are kept. Every drop is counted and logged.
    /// </summary>
    DropWrite = 3,
}
