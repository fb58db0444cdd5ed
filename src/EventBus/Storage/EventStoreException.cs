namespace EventBus;

/// <summary>Thrown when a store can not be used or a read or write failed: its file or database is unreachable, not a store, belongs to another application or was written by a newer version. The message names the store (never a password) and the fix; the driver's own exception is inside.</summary>
public sealed class EventStoreException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EventStoreException"/> class.</summary>
    public EventStoreException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventStoreException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EventStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventStoreException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
