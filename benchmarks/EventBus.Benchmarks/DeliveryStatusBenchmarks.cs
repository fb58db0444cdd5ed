using BenchmarkDotNet.Attributes;

namespace EventBus.Benchmarks;

/// <summary>
/// What keeping delivery statuses costs a publish-and-wait to one handler: off (the default) against a log of 10,000
/// recent events, full after the warm-up, so that every publish also evicts the oldest.
/// </summary>
[MemoryDiagnoser]
public class DeliveryStatusBenchmarks
{
    private IEventBus _bus = null!;

    [Params(0, 10_000)]
    public int Capacity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bus = Envelopes.StartedBus(o => { o.WorkerCount = 1; o.DeliveryStatusCapacity = Capacity; });
        _bus.Subscribe("bench.status", e => NoOp.Touch(e));
    }

    [GlobalCleanup]
    public void Cleanup() => _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Each event is new: the log keeps a status per event id.</summary>
    [Benchmark]
    public async Task<int> PublishAndWait() => (await _bus.PublishAndWaitAsync(new EventBuilder("bench.status").Build()).ConfigureAwait(false)).HandledCount;
}
