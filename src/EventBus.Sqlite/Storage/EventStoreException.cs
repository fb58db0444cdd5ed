namespace EventBus.Sqlite;

/// <summary>Thrown when a store's file can not be used: it is not a SQLite database, belongs to another application, or was written by a newer version.</summary>
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
