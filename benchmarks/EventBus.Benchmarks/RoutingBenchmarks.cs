using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;

namespace EventBus.Benchmarks;

/// <summary>
/// Scenario 3: the cost of publishing one event (end to end, per event) to the same 10 matching subscriptions while
/// the bus also holds many subscriptions that can not match. Baseline: a bus with only the 10 matching ones.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const int Batch = 1_000;
    private EventEnvelope[] _events = [];
    private IEventBus _matchingOnly = null!;
    private IEventBus _crowded = null!;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.SubscriptionCounts))]
    public int Subscriptions { get; set; }

    [Params("exact", "wildcard", "regex", "bare-regex")]
    public string Kind { get; set; } = "exact";

    [GlobalSetup]
    public void Setup()
    {
        _events = Envelopes.Ring("orders.target.created", Batch, keys: 64);
        _matchingOnly = Envelopes.StartedBus();
        _crowded = Envelopes.StartedBus();
        for (int i = 0; i < 10; i++)
        {
            _matchingOnly.Subscribe(Filter("orders.target.created"), Handle);
            _crowded.Subscribe(Filter("orders.target.created"), Handle);
        }

        for (int i = 10; i < Subscriptions; i++)
        {
            _crowded.Subscribe(Filter($"orders.other{i}.created"), Handle);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _matchingOnly.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _crowded.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public Task OnlyTheTenMatching() => PublishAll(_matchingOnly);

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task WithNonMatchingSubscriptions() => PublishAll(_crowded);

    private static ValueTask Handle(EventEnvelope envelope, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private async Task PublishAll(IEventBus bus)
    {
        await bus.PublishBatchAsync(_events).ConfigureAwait(false);
        await bus.WaitForIdleAsync().ConfigureAwait(false);
    }

    private EventFilter Filter(string type) => Kind switch
    {
        "exact" => EventFilter.Type(type),
        "wildcard" => EventFilter.Pattern(type[..type.LastIndexOf('.')] + ".*"),

        // A regex paired with a type pattern: the index prunes on the pattern before any regex runs.
        "regex" => EventFilter.Pattern(type[..type.LastIndexOf('.')] + ".*").And(EventFilter.Regex("^" + Regex.Escape(type) + "$")),

        // A bare regex promises nothing the index can use, so it is evaluated for every event.
        _ => EventFilter.Regex("^" + Regex.Escape(type) + "$"),
    };
}
