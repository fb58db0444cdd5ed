namespace EventBus;

/// <summary>
/// The bus's bounded dead-letter queue: events that a subscription could not handle after its last attempt, or that
/// expired. List and query them, retry them (each is redelivered once, to its original subscription), or purge them.
/// When it is full, the oldest dead letter is evicted to make room; evictions are counted in <see cref="Evicted"/> and logged.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Dead-letter queue is the established name of the concept.")]
public interface IDeadLetterQueue
{
    /// <summary>Gets the number of dead letters held now.</summary>
    int Count { get; }

    /// <summary>Gets the most dead letters held at once (<see cref="EventBusOptions.DeadLetterCapacity"/>).</summary>
    int Capacity { get; }

    /// <summary>Gets the number of dead letters ever added.</summary>
    long TotalAdded { get; }

    /// <summary>Gets the number of dead letters evicted because the queue was full.</summary>
    long Evicted { get; }

    /// <summary>Gets the number of dead letters read back from the store when the bus started (see <see cref="IDeadLetterStore"/>).</summary>
    long Restored { get; }

    /// <summary>Gets the number of dead-letter changes (saves, removals, or a failed read at start) the store failed to take; each is logged.</summary>
    long StoreFailures { get; }

    /// <summary>Lists dead letters, oldest first.</summary>
    /// <param name="query">Selects them (by dead-letter id, event id, type, subscription, reason or time); null for all.</param>
    /// <returns>The dead letters.</returns>
    IReadOnlyList<DeadLetter> List(DeadLetterQuery? query = null);

    /// <summary>Gets the dead letters of one event (one per subscription that gave up on it).</summary>
    /// <param name="eventId">The event's id.</param>
    /// <returns>The dead letters; empty when there are none.</returns>
    IReadOnlyList<DeadLetter> GetByEventId(Guid eventId);

    /// <summary>Removes a dead letter and redelivers its event to its original subscription, with a fresh attempt count.</summary>
    /// <param name="deadLetterId">The dead letter's <see cref="DeadLetter.Id"/>.</param>
    /// <returns><see langword="true"/> when it was redelivered; <see langword="false"/> when no dead letter has that id (it may have been retried already).</returns>
    /// <exception cref="InvalidOperationException">Its subscription no longer exists, or the bus has stopped; the dead letter is kept.</exception>
    bool Retry(Guid deadLetterId);

    /// <summary>
    /// Retries every dead letter that <paramref name="query"/> selects and whose subscription still exists (for
    /// restored dead letters: a live subscription with the same subscriber id); the others are kept. Retry one event
    /// with <c>new DeadLetterQuery { EventId = id }</c>.
    /// </summary>
    /// <param name="query">Selects them; null for all.</param>
    /// <returns>The number redelivered.</returns>
    int RetryAll(DeadLetterQuery? query = null);

    /// <summary>Removes one dead letter without retrying it.</summary>
    /// <param name="deadLetterId">The dead letter's <see cref="DeadLetter.Id"/>.</param>
    /// <returns><see langword="true"/> when it was removed; <see langword="false"/> when no dead letter has that id.</returns>
    bool Purge(Guid deadLetterId);

    /// <summary>Removes the dead letters that <paramref name="query"/> selects. Purge one event's with <c>new DeadLetterQuery { EventId = id }</c>.</summary>
    /// <param name="query">Selects them; null for all.</param>
    /// <returns>The number removed.</returns>
    int PurgeAll(DeadLetterQuery? query = null);
}
