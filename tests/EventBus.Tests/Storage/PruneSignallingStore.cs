namespace EventBus.Tests.Storage;

/// <summary>An in-memory store that reports each prune as it finishes, and can fail the first ones.</summary>
internal sealed class PruneSignallingStore(InMemoryEventStore inner, int failures = 0) : IEventStore
{
    private readonly List<TaskCompletionSource<EventRetention>> _prunes = [];
    private readonly Lock _lock = new();
    private int _calls;

    public InMemoryEventStore Inner => inner;

    /// <summary>Completes when prune number <paramref name="call"/> (from 1) has finished or failed.</summary>
    public Task<EventRetention> Prune(int call) => Signal(call).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        try
        {
            return call <= failures
                ? throw new InvalidOperationException("The store is unavailable.")
                : await inner.PruneAsync(retention, cancellationToken);
        }
        finally
        {
            Signal(call).TrySetResult(retention);
        }
    }

    public ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default) => inner.AppendAsync(envelope, level, cancellationToken);

    public ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default) => inner.AppendBatchAsync(envelopes, level, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => inner.GetAsync(eventId, cancellationToken);

    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default) => inner.ReadWorkflowAsync(workflowId, from, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private TaskCompletionSource<EventRetention> Signal(int call)
    {
        lock (_lock)
        {
            while (_prunes.Count < call)
            {
                _prunes.Add(new TaskCompletionSource<EventRetention>(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return _prunes[call - 1];
        }
    }
}
