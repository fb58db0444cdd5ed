namespace EventBus;

/// <summary>A stream's state as of a version.</summary>
/// <typeparam name="TState">The state's type.</typeparam>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The version of the last event the state includes.</param>
/// <param name="State">The state.</param>
/// <param name="TakenAt">When the snapshot was saved, by the store's clock.</param>
public sealed record Snapshot<TState>(string StreamId, long Version, TState State, DateTimeOffset TakenAt);
