namespace EventBus.Sqlite;

/// <summary>A queued append to a stream: checked against the stream's version inside the writer's transaction.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="ExpectedVersion">The version the caller expects, or <see cref="StreamVersion.Any"/>.</param>
internal sealed record StreamAppend(string StreamId, long ExpectedVersion)
{
    /// <summary>Gets or sets the stream's version after the append; set by the writer.</summary>
    public long Version { get; set; }

    /// <summary>Gets or sets why the writer refused the append (a version conflict, an id already stored); nothing of it was written.</summary>
    public Exception? Refusal { get; set; }
}
