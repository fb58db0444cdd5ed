namespace EventBus.PostgreSql;

/// <summary>
/// One caller's append, waiting for the writer: plain events, or events for a stream at an expected version. The writer
/// decides its outcome inside the group's transaction and completes it once that transaction committed.
/// </summary>
internal sealed class AppendRequest(EncodedEvent[] events, string? streamId = null, long expectedVersion = StreamVersion.Any)
{
    public EncodedEvent[] Events { get; } = events;

    /// <summary>Gets the stream the events join, or null for plain events.</summary>
    public string? StreamId { get; } = streamId;

    public long ExpectedVersion { get; } = expectedVersion;

    /// <summary>Gets or sets the stream's version after the append (0 for plain events), once decided.</summary>
    public long Result { get; set; }

    /// <summary>Gets or sets why the request was refused (a version conflict, an event already stored); nothing of it is written.</summary>
    public Exception? Refusal { get; set; }

    public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes the caller's wait once the group committed: with the result, or with the refusal.</summary>
    public void Complete()
    {
        if (Refusal is { } refusal)
        {
            Completion.TrySetException(refusal);
        }
        else
        {
            Completion.TrySetResult(Result);
        }
    }
}
