namespace EventBus;

/// <summary>Thrown when an event is published to a full bus whose <see cref="EventBusOptions.FullMode"/> is <see cref="BusFullMode.Reject"/>.</summary>
public sealed class EventBusFullException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="EventBusFullException"/> class.</summary>
    public EventBusFullException()
        : this("The event bus is full.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventBusFullException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EventBusFullException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventBusFullException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventBusFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventBusFullException"/> class for a bus of the given capacity.</summary>
    /// <param name="capacity">The bus capacity that was reached.</param>
    /// <param name="eventType">The type of the event that was refused.</param>
    public EventBusFullException(int capacity, string eventType)
        : base($"The event bus is full: {capacity} events are waiting to be dispatched (EventBusOptions.Capacity = {capacity}), so '{eventType}' was rejected. Raise Capacity, add workers, slow the producer, or choose BusFullMode.Wait to apply back-pressure.")
    {
        Capacity = capacity;
    }

    /// <summary>Gets the capacity that was reached.</summary>
    public int Capacity { get; }
}
