namespace EventBus.Tests.Support;

/// <summary>
/// An in-memory store whose dead-letter side fails on demand: it refuses the letters a predicate picks, or every
/// removal, or the read at start. Every call is counted, so tests can tell a batched save from a one-by-one retry.
/// </summary>
internal sealed class RefusingDeadLetterStore(Func<DeadLetter, bool>? refuseSave = null, bool refuseRemovals = false, bool refuseRead = false) : IEventStore, IDeadLetterStore
{
    private readonly InMemoryEventStore _inner = new();
    private int _saveCalls;

    public InMemoryEventStore Inner => _inner;

    public int SaveCalls => Volatile.Read(ref _saveCalls);

    public ValueTask SaveDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _saveCalls);
        if (refuseSave is not null && letters.FirstOrDefault(refuseSave) is { } refused)
        {
            throw new IOException($"disk full while saving {refused.Event.Type}");
        }

        return _inner.SaveDeadLettersAsync(letters, cancellationToken);
    }

    public ValueTask RemoveDeadLettersAsync(IReadOnlyList<Guid> deadLetterIds, CancellationToken cancellationToken = default) =>
        refuseRemovals ? throw new IOException("read-only store") : _inner.RemoveDeadLettersAsync(deadLetterIds, cancellationToken);

    public IAsyncEnumerable<DeadLetter> ReadDeadLettersAsync(CancellationToken cancellationToken = default) =>
        refuseRead ? throw new IOException("store unreadable") : _inner.ReadDeadLettersAsync(cancellationToken);

    public ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default) =>
        _inner.AppendAsync(envelope, level, cancellationToken);

    public ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default) =>
        _inner.AppendBatchAsync(envelopes, level, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => _inner.GetAsync(eventId, cancellationToken);

    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default) =>
        _inner.ReadWorkflowAsync(workflowId, from, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => _inner.CountAsync(cancellationToken);

    public ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default) => _inner.PruneAsync(retention, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
