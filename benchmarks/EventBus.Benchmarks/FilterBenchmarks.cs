using BenchmarkDotNet.Attributes;

namespace EventBus.Benchmarks;

/// <summary>Scenario 4: the cost of evaluating one filter of each kind against one event. Baseline: an ordinal string comparison.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private readonly EventEnvelope _envelope = new EventBuilder("workflow.phase.completed").WithWorkflow("wf-1").WithSource("runner").WithPriority(EventPriority.High).WithMetadata("tenant", "acme").WithData(42).Build();
    private readonly EventFilter _type = EventFilter.Type("workflow.phase.completed");
    private readonly EventFilter _singleWildcard = EventFilter.Pattern("workflow.*.completed");
    private readonly EventFilter _deepWildcard = EventFilter.Pattern("workflow.#");
    private readonly EventFilter _middleWildcard = EventFilter.Pattern("workflow.#.completed");
    private readonly EventFilter _predicate = EventFilter.Where(e => e.Priority >= EventPriority.High);
    private readonly EventFilter _payload = EventFilter.Payload<int>();
    private readonly EventFilter _composite = EventFilter.Pattern("workflow.#").And(EventFilter.Where(e => e.Priority >= EventPriority.High)).And(EventFilter.Payload<int>());
    private readonly EventFilter _regex = EventFilter.Regex(@"^workflow\.[a-z]+\.completed$");
    private readonly EventFilter _kind = EventFilter.Kind(EventKind.Command, EventKind.Notification);
    private readonly EventFilter _minPriority = EventFilter.MinPriority(EventPriority.Normal);
    private readonly EventFilter _metadata = EventFilter.Metadata("tenant", "acme");
    private readonly EventFilter _source = EventFilter.Source("planner", "runner");
    private readonly EventFilter _or = EventFilter.Type("workflow.failed").Or(EventFilter.MinPriority(EventPriority.High));
    private readonly EventFilter _not = EventFilter.Not(EventFilter.Type("workflow.failed"));

    [Benchmark(Baseline = true)]
    public bool StringEquals() => string.Equals(_envelope.Type, "workflow.phase.completed", StringComparison.Ordinal);

    [Benchmark]
    public bool Type() => _type.Matches(_envelope);

    [Benchmark]
    public bool SingleSegmentWildcard() => _singleWildcard.Matches(_envelope);

    [Benchmark]
    public bool TrailingMultiSegmentWildcard() => _deepWildcard.Matches(_envelope);

    [Benchmark]
    public bool InnerMultiSegmentWildcard() => _middleWildcard.Matches(_envelope);

    [Benchmark]
    public bool Predicate() => _predicate.Matches(_envelope);

    [Benchmark]
    public bool Payload() => _payload.Matches(_envelope);

    [Benchmark]
    public bool CompositeOfThree() => _composite.Matches(_envelope);

    [Benchmark]
    public bool Regex() => _regex.Matches(_envelope);

    [Benchmark]
    public bool Kind() => _kind.Matches(_envelope);

    [Benchmark]
    public bool MinPriority() => _minPriority.Matches(_envelope);

    [Benchmark]
    public bool Metadata() => _metadata.Matches(_envelope);

    [Benchmark]
    public bool SourceSet() => _source.Matches(_envelope);

    [Benchmark]
    public bool Or() => _or.Matches(_envelope);

    [Benchmark]
    public bool Not() => _not.Matches(_envelope);
}
