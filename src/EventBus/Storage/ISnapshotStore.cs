namespace EventBus;

/// <summary>
/// Keeps the latest snapshot of each stream: an aggregate's state as of a stream version, so that rebuilding it reads
/// the snapshot and only the events after it (<see cref="EventStreamExtensions.FoldStreamAsync"/>). The state is stored
/// as JSON and read back into the type the caller names: a type name from the database is never used to create objects.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Saves a snapshot; the stream keeps whichever of its snapshots has the highest version.</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="streamId">The stream.</param>
    /// <param name="version">The stream version the state includes: the version of the last event applied to it.</param>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the snapshot is durable.</returns>
    /// <exception cref="ArgumentException">The stream id is invalid or the version is below 1.</exception>
    ValueTask SaveSnapshotAsync<TState>(string streamId, long version, TState state, CancellationToken cancellationToken = default);

    /// <summary>Loads a stream's latest snapshot.</summary>
    /// <typeparam name="TState">The type to read the state into.</typeparam>
    /// <param name="streamId">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot, or null when the stream has none.</returns>
    ValueTask<Snapshot<TState>?> LoadSnapshotAsync<TState>(string streamId, CancellationToken cancellationToken = default);
}
