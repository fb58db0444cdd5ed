namespace EventBus;

/// <summary>
/// A store that numbers its events in append order and lets a reader follow it, with named checkpoints. When the bus's
/// <see cref="IEventStore"/> is one (the SQLite store is), external publishers relay from it: each event bound for a broker
/// is sent from the store after it was written, and the publisher's checkpoint moves only once the broker confirmed it,
/// so a crash or a restart loses nothing that was stored (the store is the outbox).
/// </summary>
public interface IEventLog
{
    /// <summary>Reads the events appended after <paramref name="position"/>, oldest first.</summary>
    /// <param name="position">The position read up to so far; 0 for the start.</param>
    /// <param name="maxCount">The most events to read; at least 1.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>
    /// The events and the position of the last one (or <paramref name="position"/> when none was appended since). A page may
    /// hold fewer than <paramref name="maxCount"/> events while more follow: read again from its position until one is empty.
    /// </returns>
    ValueTask<EventLogPage> ReadAfterAsync(long position, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Waits until an event past <paramref name="position"/> was appended in this process, or until <paramref name="timeout"/>.</summary>
    /// <param name="position">The position read up to so far.</param>
    /// <param name="timeout">How long to wait at most: events appended by other processes are only seen by reading again.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when there may be something new to read.</returns>
    ValueTask WaitForAppendAsync(long position, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Reads a named checkpoint: the position a reader has finished with.</summary>
    /// <param name="name">The checkpoint's name, such as <c>external:rabbitmq</c>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The position saved last, or 0 when none was.</returns>
    ValueTask<long> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Saves a named checkpoint; it is written with the store's next batch (a crash may lose the latest, never an older one).</summary>
    /// <param name="name">The checkpoint's name.</param>
    /// <param name="position">The position the reader has finished with.</param>
    /// <param name="cancellationToken">Stops waiting for a place in the write queue.</param>
    /// <returns>A task that completes when the write is queued.</returns>
    ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default);
}
