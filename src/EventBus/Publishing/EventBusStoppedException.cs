namespace EventBus;

/// <summary>Thrown when an event is published to a bus that is stopping or stopped.</summary>
public sealed class EventBusStoppedException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="EventBusStoppedException"/> class.</summary>
    public EventBusStoppedException()
        : base("The event bus has been stopped; it no longer accepts events. Publish before stopping the host, or create a new bus.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventBusStoppedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EventBusStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventBusStoppedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventBusStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
