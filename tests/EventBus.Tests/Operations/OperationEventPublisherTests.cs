using EventBus.Testing;
using EventBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Operations;

public sealed class OperationEventPublisherTests
{
    private readonly FakeTimeProvider _time = Buses.FakeTime();
    private readonly InMemoryEventPublisher _fake;
    private readonly OperationEventPublisher _operations;

    public OperationEventPublisherTests()
    {
        _fake = new InMemoryEventPublisher(_time);
        _operations = new OperationEventPublisher(_fake, "orchestrator", new EventPublisherOptions { Source = "node-1" });
    }

    [Fact]
    public async Task Scope_PublishesStarted_ThenCompletedWithTheExecutionTime()
    {
        DateTimeOffset begin = _time.GetUtcNow();
        await using (OperationScope scope = await _operations.BeginAsync("routing", new { Route = "eu-1", Hops = 3 }, correlationId: "req-1"))
        {
            _time.Advance(TimeSpan.FromMilliseconds(1250));
            scope.Complete(new Dictionary<string, object?> { ["target"] = "node-7", ["cost"] = 4.5, ["note"] = null });
        }

        _fake.Published.All.Should().HaveCount(2);
        EventEnvelope started = _fake.Published.All[0];
        EventEnvelope completed = _fake.Published.All[1];
        started.Type.Should().Be("orchestrator.routing.started");
        started.Kind.Should().Be(EventKind.Notification);
        started.Source.Should().Be("node-1");
        started.CorrelationId.Should().Be("req-1");
        started.Metadata.Should().Equal(new Dictionary<string, string>
        {
            ["node_type"] = "orchestrator",
            ["operation"] = "routing",
            ["lifecycle_stage"] = "started",
        });
        OperationStarted startedData = started.GetData<OperationStarted>();
        startedData.Operation.Should().Be("routing");
        startedData.NodeId.Should().Be("node-1");
        startedData.StartedAt.Should().Be(begin);
        startedData.InputSummary.Should().Equal(new Dictionary<string, string> { ["Route"] = "String", ["Hops"] = "Int32" });

        completed.Type.Should().Be("orchestrator.routing.completed");
        completed.CausationId.Should().Be(started.Id);
        completed.CorrelationId.Should().Be("req-1");
        completed.Metadata.Should().Contain(new KeyValuePair<string, string>("lifecycle_stage", "completed"))
            .And.Contain(new KeyValuePair<string, string>("execution_time_ms", "1250"));
        OperationCompleted completedData = completed.GetData<OperationCompleted>();
        completedData.ExecutionTimeMs.Should().Be(1250);
        completedData.CompletedAt.Should().Be(begin + TimeSpan.FromMilliseconds(1250));
        completedData.ResultSummary.Should().Equal(new Dictionary<string, string> { ["target"] = "String", ["cost"] = "Double", ["note"] = "null" });
    }

    [Fact]
    public async Task Summaries_NeverCarryTheValues()
    {
        await using (OperationScope scope = await _operations.BeginAsync("login", new { User = "alice@example.com", Password = "hunter2" }))
        {
            scope.Complete(new { Token = "secret-token" });
        }

        string everything = string.Join(" ", _fake.Published.All.Select(e => $"{e.Data} {string.Join(",", e.Metadata)}"))
            + string.Join(" ", _fake.Published.Payloads<OperationStarted>().SelectMany(p => p.InputSummary).Select(kv => kv.Key + kv.Value))
            + string.Join(" ", _fake.Published.Payloads<OperationCompleted>().SelectMany(p => p.ResultSummary).Select(kv => kv.Key + kv.Value));
        everything.Should().NotContain("alice").And.NotContain("hunter2").And.NotContain("secret-token");
    }

    [Fact]
    public async Task Fail_PublishesFailedWithTheErrorDetails()
    {
        await using (OperationScope scope = await _operations.BeginAsync("aggregation"))
        {
            _time.Advance(TimeSpan.FromMilliseconds(40));
            scope.Fail(new TimeoutException("store did not answer"));
        }

        EventEnvelope started = _fake.Published.All[0];
        EventEnvelope failed = _fake.Published.All[1];
        failed.Type.Should().Be("orchestrator.aggregation.failed");
        failed.Kind.Should().Be(EventKind.Error);
        failed.CausationId.Should().Be(started.Id);
        failed.CorrelationId.Should().Be(started.CorrelationId).And.NotBeNull("an operation always has a correlation id");
        failed.Metadata["lifecycle_stage"].Should().Be("failed");
        failed.Metadata["execution_time_ms"].Should().Be("40");
        failed.GetData<OperationFailed>().Should().BeEquivalentTo(new
        {
            Operation = "aggregation",
            NodeId = "node-1",
            ExecutionTimeMs = 40.0,
            ErrorType = "TimeoutException",
            ErrorMessage = "store did not answer",
        });
    }

    [Fact]
    public async Task AScopeEndedWithoutAnOutcome_IsReportedFailed()
    {
        try
        {
            await using OperationScope scope = await _operations.BeginAsync("routing");
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException)
        {
        }

        OperationFailed failed = _fake.Published.All[1].GetData<OperationFailed>();
        failed.ErrorType.Should().Be("OperationAbandoned");
        failed.ErrorMessage.Should().Contain("'routing'").And.Contain("without Complete or Fail");
    }

    [Fact]
    public async Task EndAsync_PublishesOnce_AndLaterOutcomesAreRefused()
    {
        OperationScope scope = await _operations.BeginAsync("routing");
        scope.Fail("NO_ROUTE", "no route to eu-9");

        PublishResult ended = await scope.EndAsync();
        await scope.DisposeAsync();
        PublishResult again = await scope.EndAsync();

        ended.Event.Type.Should().Be("orchestrator.routing.failed");
        ended.Event.GetData<OperationFailed>().ErrorType.Should().Be("NO_ROUTE");
        again.Should().BeSameAs(ended);
        scope.EndResult.Should().BeSameAs(ended);
        _fake.Published.Count.Should().Be(2);
        FluentActions.Invoking(scope.Complete).Should().Throw<InvalidOperationException>().WithMessage("*'routing' has ended*");
    }

    [Fact]
    public async Task StateChanged_And_MetricRecorded_HaveTheirTypesAndPayloads()
    {
        EventEnvelope state = (await _operations.PublishStateChangedAsync("idle", "routing", "request arrived", "req-2")).Event;
        EventEnvelope metric = (await _operations.PublishMetricAsync("queue.depth", 12, "items", new Dictionary<string, string> { ["queue"] = "in" })).Event;

        state.Type.Should().Be("orchestrator.state.changed");
        state.CorrelationId.Should().Be("req-2");
        state.Data.Should().Be(new StateChanged { OldState = "idle", NewState = "routing", Reason = "request arrived" });
        metric.Type.Should().Be("orchestrator.metric.recorded");
        MetricRecorded recorded = metric.GetData<MetricRecorded>();
        (recorded.Name, recorded.Value, recorded.Unit).Should().Be(("queue.depth", 12d, "items"));
        recorded.Tags.Should().Equal(new Dictionary<string, string> { ["queue"] = "in" });
        state.Metadata["node_type"].Should().Be("orchestrator");
    }

    [Fact]
    public async Task BadNames_AndValues_AreRefused()
    {
        Action dottedNode = () => _ = new OperationEventPublisher(_fake, "a.b");
        Func<Task> dottedOperation = () => _operations.BeginAsync("route.plan").AsTask();
        Func<Task> nanMetric = () => _operations.PublishMetricAsync("latency", double.NaN).AsTask();

        dottedNode.Should().Throw<ArgumentException>().WithMessage("*'a.b'*one segment*");
        (await dottedOperation.Should().ThrowAsync<ArgumentException>()).WithMessage("*'route.plan'*");
        (await nanMetric.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*'latency'*NaN*");
        _fake.Published.Count.Should().Be(0);
    }
}
