using BenchmarkDotNet.Attributes;

namespace EventBus.Benchmarks;

/// <summary>Scenario 5: publishing a batch in one call against publishing the same events one by one (end to end, per event).</summary>
[MemoryDiagnoser]
public class BatchBenchmarks
{
    private const int Batch = 10_000;
    private EventEnvelope[] _events = [];
    private IEventBus _bus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _events = Envelopes.Ring("bench.batch", Batch, keys: 64);
        _bus = Envelopes.StartedBus();
        _bus.Subscribe("bench.batch", e => NoOp.Touch(e));
    }

    [GlobalCleanup]
    public void Cleanup() => _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task OneByOne()
    {
        foreach (EventEnvelope envelope in _events)
        {
            await _bus.PublishAsync(envelope).ConfigureAwait(false);
        }

        await _bus.WaitForIdleAsync().ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task OneBatch()
    {
        await _bus.PublishBatchAsync(_events).ConfigureAwait(false);
        await _bus.WaitForIdleAsync().ConfigureAwait(false);
    }
}
