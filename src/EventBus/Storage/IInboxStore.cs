namespace EventBus;

/// <summary>
/// Keeps the inbox of a transport's consumer: which events (by source and id) this application has handled, so an event the
/// broker delivers again after a restart or a crash is recognised and not handled twice. The SQLite store is one.
/// </summary>
public interface IInboxStore
{
    /// <summary>Reads the entries handled at or after <paramref name="since"/>, oldest first.</summary>
    /// <param name="since">The start of the inbox's window.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<InboxEntry> ReadInboxAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Saves entries; they are written with the store's next batch.</summary>
    /// <param name="entries">The events handled.</param>
    /// <param name="cancellationToken">Stops waiting for a place in the write queue.</param>
    /// <returns>A task that completes when the write is queued.</returns>
    ValueTask SaveInboxAsync(IReadOnlyList<InboxEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Removes the entries handled before <paramref name="before"/>.</summary>
    /// <param name="before">The start of the inbox's window.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The number of entries removed.</returns>
    ValueTask<long> PruneInboxAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
