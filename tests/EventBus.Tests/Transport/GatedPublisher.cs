namespace EventBus.Tests.Transport;

/// <summary>An external publisher that holds every send until the test opens its gate, and records what it sent.</summary>
internal sealed class GatedPublisher : IExternalPublisher
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<EventEnvelope> _sent = [];

    public string Name => "gated";

    /// <summary>Gets a signal set when the first send reached the gate.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<EventEnvelope> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public void Open() => _gate.TrySetResult();

    public async ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default) =>
        await PublishBatchAsync([envelope], cancellationToken);

    public async ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        Entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        lock (_sent)
        {
            _sent.AddRange(envelopes);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
