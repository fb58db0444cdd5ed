namespace EventBus;

/// <summary>What a replay did.</summary>
/// <param name="Replayed">Events republished.</param>
/// <param name="Skipped">Events skipped because their payload could not be read (<see cref="UnreadablePayload"/>).</param>
/// <param name="SkippedEventIds">The ids of the first 100 skipped events.</param>
/// <param name="Elapsed">How long the replay took, by the bus's clock.</param>
public sealed record ReplayResult(long Replayed, long Skipped, IReadOnlyList<Guid> SkippedEventIds, TimeSpan Elapsed);
