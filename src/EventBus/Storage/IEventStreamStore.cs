namespace EventBus;

/// <summary>
/// A store of event streams: the history of one aggregate (an order, an account) under a stream id, numbered from 1
/// with no gaps. Appends state the version they expect the stream to be at, so two writers that read the same state can
/// not both extend it (optimistic concurrency): the second fails with a <see cref="StreamVersionConflictException"/> and
/// stores nothing. Stream events are ordinary events of the store as well (queried, replayed and relayed like any other),
/// but retention and eviction never remove them from their stream: a stream is what the aggregate's state is rebuilt from.
/// </summary>
public interface IEventStreamStore
{
    /// <summary>Appends events to a stream, durably, if the stream is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="streamId">The stream, such as <c>order-42</c>.</param>
    /// <param name="expectedVersion">
    /// The version the caller last saw: <see cref="StreamVersion.NoStream"/> (0) for a stream that must not exist yet,
    /// N for a stream whose last event is its N-th, or <see cref="StreamVersion.Any"/> to append whatever the version.
    /// </param>
    /// <param name="events">The events, in order; their ids must be new to the store.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the write queue.</param>
    /// <returns>The stream's version after the append: the version of its last event.</returns>
    /// <exception cref="StreamVersionConflictException">The stream is at another version; nothing was stored.</exception>
    /// <exception cref="ArgumentException">The stream id is empty or too long, an event is null, or an event's id is already stored.</exception>
    ValueTask<long> AppendToStreamAsync(string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream's events in version order.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="fromVersion">The first version to read, 1 for the whole stream.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The events from <paramref name="fromVersion"/> on, each with its version; none for a stream that does not exist.</returns>
    IAsyncEnumerable<StreamEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default);

    /// <summary>Gets a stream's current version: the version of its last event, or 0 when it has none.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    ValueTask<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);
}
