namespace EventBus;

/// <summary>
/// Stores events and reads them back: by id, by criteria with paging, and by workflow, in append order. Implemented
/// in memory (<see cref="InMemoryEventStore"/>) and on SQLite (the EventBus.Sqlite package); every implementation
/// passes the same contract test suite.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Appends one event.</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="level"><see cref="PersistenceLevel.Critical"/> returns once the event is durable; <see cref="PersistenceLevel.Standard"/> may return once it is queued for a batched write.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the write queue.</param>
    /// <returns>A task that completes when the event is stored as <paramref name="level"/> requires.</returns>
    /// <exception cref="ArgumentException">The level is <see cref="PersistenceLevel.Temporary"/> or undefined.</exception>
    ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default);

    /// <summary>Appends events in order, as one write where the store can.</summary>
    /// <param name="envelopes">The events.</param>
    /// <param name="level">See <see cref="AppendAsync"/>.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the write queue.</param>
    /// <returns>A task that completes when the events are stored as <paramref name="level"/> requires.</returns>
    ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default);

    /// <summary>Waits until every event appended so far is durable.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when they are.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets one event by id.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The event, or null when the store does not hold it.</returns>
    ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default);

    /// <summary>Queries events, one page at a time.</summary>
    /// <param name="query">The criteria, order, page size and continuation token.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The query is invalid; the message names the value and the fix.</exception>
    ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a workflow's events in append order, optionally from a timestamp on.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="from">The earliest timestamp, inclusive; null for the beginning.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default);

    /// <summary>Counts the events held.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes events older than the retention's age and beyond its count, oldest first.</summary>
    /// <param name="retention">What to keep.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>The number of events removed.</returns>
    ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default);
}
