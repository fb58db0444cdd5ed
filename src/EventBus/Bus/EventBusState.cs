namespace EventBus;

/// <summary>The life of a bus.</summary>
public enum EventBusState
{
    /// <summary>Created; published events are held until start.</summary>
    Created = 0,

    /// <summary>Dispatching events.</summary>
    Running = 1,

    /// <summary>Refusing new events and draining the ones already accepted.</summary>
    Stopping = 2,

    /// <summary>Stopped; it can not be started again.</summary>
    Stopped = 3,
}
