using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Publishers;

public sealed class BestEffortTests
{
    [Fact]
    public async Task ByDefault_AStoppedBusSurfacesAsAnException()
    {
        IEventBus bus = await Buses.StartedAsync();
        await bus.StopAsync();
        MessagePublisher messages = new(bus);

        Func<Task> publish = () => messages.PublishNotificationAsync("stock.low").AsTask();

        await publish.Should().ThrowAsync<EventBusStoppedException>();
        messages.BestEffortFailures.Should().Be(0);
    }

    [Fact]
    public async Task BestEffort_AStoppedBusReturnsAFailedResult_CountsAndLogsIt()
    {
        IEventBus bus = await Buses.StartedAsync();
        await bus.StopAsync();
        FakeLogger<WorkflowEventPublisher> logger = new();
        WorkflowEventPublisher workflows = new(bus, new EventPublisherOptions { BestEffort = true }, logger);

        PublishResult result = await workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Started);

        result.Accepted.Should().BeFalse();
        result.Error.Should().BeOfType<EventBusStoppedException>();
        result.Event.Type.Should().Be("workflow.started");
        result.ToString().Should().Contain("not accepted");
        workflows.BestEffortFailures.Should().Be(1);
        FakeLogRecord record = logger.Collector.LatestRecord;
        record.Level.Should().Be(LogLevel.Warning);
        record.Message.Should().Contain("workflow.started").And.Contain(result.Event.Id.ToString());
    }

    [Fact]
    public async Task BestEffort_AFullBusInRejectModeReturnsFailedResults_ForAWholeBatch()
    {
        // Not started: the bus holds what it accepts, so its single place stays taken.
        IEventBus bus = Buses.Create(o =>
        {
            o.Capacity = 1;
            o.FullMode = BusFullMode.Reject;
        });
        WorkflowEventPublisher workflows = new(bus, new EventPublisherOptions { BestEffort = true });
        (await workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Started)).Accepted.Should().BeTrue();

        IReadOnlyList<PublishResult> results = await workflows.PublishProgressBatchAsync("wf-1", [new("a", 1), new("b", 2)]);

        results.Should().HaveCount(2).And.OnlyContain(r => !r.Accepted && r.Error is EventBusFullException);
        workflows.BestEffortFailures.Should().Be(2);
        await bus.DisposeAsync();
    }

    [Fact]
    public async Task BestEffort_StillThrowsOnBadInput()
    {
        IEventBus bus = await Buses.StartedAsync();
        MessagePublisher messages = new(bus, new EventPublisherOptions { BestEffort = true });

        Func<Task> publish = () => messages.PublishCommandAsync("bad type!").AsTask();

        await publish.Should().ThrowAsync<ArgumentException>();
        await bus.DisposeAsync();
    }
}
