namespace EventBus;

/// <summary>
/// Snapshots kept beside the streams. The state object itself is kept, not a copy: give snapshots immutable states (a
/// record), as a state changed after it was saved would change the snapshot too.
/// </summary>
public sealed partial class InMemoryEventStore : ISnapshotStore
{
    private readonly Dictionary<string, (long Version, object? State, DateTimeOffset TakenAt)> _snapshots = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask SaveSnapshotAsync<TState>(string streamId, long version, TState state, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidSnapshot(streamId, version);
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(streamId, out (long Version, object? State, DateTimeOffset TakenAt) kept) || kept.Version <= version)
            {
                _snapshots[streamId] = (version, state, _time.GetUtcNow());
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Snapshot<TState>?> LoadSnapshotAsync<TState>(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(streamId, out (long Version, object? State, DateTimeOffset TakenAt) kept))
            {
                return ValueTask.FromResult<Snapshot<TState>?>(null);
            }

            return kept.State is TState or null
                ? ValueTask.FromResult<Snapshot<TState>?>(new Snapshot<TState>(streamId, kept.Version, (TState)kept.State!, kept.TakenAt))
                : throw new InvalidCastException($"The snapshot of stream '{streamId}' holds a {kept.State.GetType().FullName}, not a {typeof(TState).FullName}; load it as the type it was saved as.");
        }
    }
}
