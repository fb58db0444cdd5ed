namespace EventBus;

/// <summary>
/// Thrown when events are appended to a stream that is not at the version the caller expected: another writer extended
/// it first. Nothing of the append was stored; read the stream again, decide again, and append with its new version.
/// </summary>
public sealed class StreamVersionConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StreamVersionConflictException"/> class.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="expectedVersion">The version the append expected.</param>
    /// <param name="actualVersion">The stream's version.</param>
    public StreamVersionConflictException(string streamId, long expectedVersion, long actualVersion)
        : base($"Stream '{streamId}' is at version {actualVersion}, but the append expected version {expectedVersion}; nothing was stored. Read the stream again from version {expectedVersion + 1} and retry with expected version {actualVersion}.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Initializes a new instance of the <see cref="StreamVersionConflictException"/> class.</summary>
    public StreamVersionConflictException()
        : this(string.Empty, 0, 0)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StreamVersionConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public StreamVersionConflictException(string message)
        : base(message)
    {
        StreamId = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="StreamVersionConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StreamVersionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        StreamId = string.Empty;
    }

    /// <summary>Gets the stream.</summary>
    public string StreamId { get; }

    /// <summary>Gets the version the append expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the stream's version when the append was refused.</summary>
    public long ActualVersion { get; }
}
