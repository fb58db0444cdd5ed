namespace EventBus;

/// <summary>What a replay did.</summary>
public sealed record ReplayResult
{
    /// <summary>Gets events republished.</summary>
    public long Replayed { get; init; }

    /// <summary>Gets events skipped because their payload could not be read (<see cref="UnreadablePayload"/>).</summary>
    public long Skipped { get; init; }

    /// <summary>Gets the ids of the first 100 skipped events.</summary>
    public required IReadOnlyList<Guid> SkippedEventIds { get; init; }

    /// <summary>Gets how long the replay took, by the bus's clock.</summary>
    public TimeSpan Elapsed { get; init; }
}
