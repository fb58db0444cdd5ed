namespace EventBus.Tests.Support;

/// <summary>An in-memory store whose appends wait at a gate the test opens, so a test can stop the bus mid-append.</summary>
internal sealed class GatedEventStore : IEventStore
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InMemoryEventStore Inner { get; } = new();

    public Signal Entered { get; } = new(1);

    public void Open() => _gate.TrySetResult();

    public async ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        Entered.Hit();
        await _gate.Task;
        await Inner.AppendAsync(envelope, level, cancellationToken);
    }

    public async ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        Entered.Hit();
        await _gate.Task;
        await Inner.AppendBatchAsync(envelopes, level, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => Inner.FlushAsync(cancellationToken);

    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => Inner.GetAsync(eventId, cancellationToken);

    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => Inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default) =>
        Inner.ReadWorkflowAsync(workflowId, from, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => Inner.CountAsync(cancellationToken);

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    public ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default) => Inner.PruneAsync(retention, cancellationToken);
}
