namespace EventBus;

/// <summary>Rebuilds aggregates from their streams, starting from the latest snapshot, and saves snapshots by policy.</summary>
public static class EventStreamExtensions
{
    /// <summary>
    /// Rebuilds a stream's state: from its latest snapshot when the store keeps snapshots (<see cref="ISnapshotStore"/>)
    /// and has one, else from <paramref name="initial"/>, then applies every event after it in version order.
    /// </summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="store">The stream store.</param>
    /// <param name="streamId">The stream.</param>
    /// <param name="initial">The state of a stream without events.</param>
    /// <param name="apply">Applies one event to the state.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The state and the version to append after.</returns>
    public static async ValueTask<StreamState<TState>> FoldStreamAsync<TState>(this IEventStreamStore store, string streamId, TState initial, Func<TState, EventEnvelope, TState> apply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(apply);
        TState state = initial;
        long version = 0;
        long fromSnapshot = 0;
        if (store is ISnapshotStore snapshots && await snapshots.LoadSnapshotAsync<TState>(streamId, cancellationToken).ConfigureAwait(false) is { } snapshot)
        {
            (state, version, fromSnapshot) = (snapshot.State, snapshot.Version, snapshot.Version);
        }

        await foreach (StreamEvent streamEvent in store.ReadStreamAsync(streamId, version + 1, cancellationToken).ConfigureAwait(false))
        {
            state = apply(state, streamEvent.Event);
            version = streamEvent.Version;
        }

        return new StreamState<TState>(state, version, fromSnapshot);
    }

    /// <summary>
    /// Appends events to a stream (see <see cref="IEventStreamStore.AppendToStreamAsync"/>) and, when the append passes
    /// a multiple of <paramref name="policy"/>'s interval and the store keeps snapshots, saves <paramref name="stateAfter"/>
    /// as the snapshot at the new version.
    /// </summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="store">The stream store.</param>
    /// <param name="streamId">The stream.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <param name="events">The events.</param>
    /// <param name="stateAfter">The state with <paramref name="events"/> applied.</param>
    /// <param name="policy">When to save a snapshot.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The stream's version after the append.</returns>
    /// <exception cref="StreamVersionConflictException">The stream is at another version; nothing was stored.</exception>
    public static async ValueTask<long> AppendToStreamAsync<TState>(this IEventStreamStore store, string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events, TState stateAfter, SnapshotPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(policy);
        long version = await store.AppendToStreamAsync(streamId, expectedVersion, events, cancellationToken).ConfigureAwait(false);
        if (store is ISnapshotStore snapshots && policy.IsDue(version - events.Count, version))
        {
            await snapshots.SaveSnapshotAsync(streamId, version, stateAfter, cancellationToken).ConfigureAwait(false);
        }

        return version;
    }
}
