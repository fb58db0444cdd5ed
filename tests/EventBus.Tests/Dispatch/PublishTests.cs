using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

public sealed class PublishTests
{
    [Fact]
    public async Task PublishAsync_DeliversToEveryMatchingSubscription_AndNotToOthers()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<string> seen = new();
        Signal delivered = new(3);
        bus.Subscribe("workflow.*", e => { seen.Enqueue("wildcard:" + e.Type); delivered.Hit(); });
        bus.Subscribe("workflow.started", e => { seen.Enqueue("exact:" + e.Type); delivered.Hit(); });
        bus.Subscribe("phase.started", e => seen.Enqueue("other:" + e.Type));

        await bus.PublishAsync(Buses.Event("workflow.started"));
        await bus.PublishAsync(Buses.Event("workflow.completed"));
        await delivered.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        seen.Should().BeEquivalentTo("wildcard:workflow.started", "exact:workflow.started", "wildcard:workflow.completed");
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 2L, Matched = 3L, Delivered = 3L, Outstanding = 0L, Subscriptions = 3 });
    }

    [Fact]
    public async Task PublishAsync_BeforeStart_HoldsEventsAndDispatchesThemOnStart()
    {
        await using IEventBus bus = Buses.Create();
        Signal delivered = new(5);
        bus.Subscribe("*", _ => delivered.Hit());

        for (int i = 0; i < 5; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await bus.WaitForIdleAsync(new CancellationToken(canceled: true)).Invoking(t => t).Should().ThrowAsync<OperationCanceledException>("nothing runs before start");
        delivered.Count.Should().Be(0);
        bus.State.Should().Be(EventBusState.Created);
        bus.GetStatistics().Backlog.Should().Be(5);

        await bus.StartAsync();
        await delivered.WaitAsync();
        bus.State.Should().Be(EventBusState.Running);
    }

    [Fact]
    public async Task PublishAndWaitAsync_ReportsHandledAndFailedSubscriptions()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ISubscription ok = bus.Subscribe("order.*", _ => { });
        ISubscription broken = bus.Subscribe("order.*", _ => throw new InvalidOperationException("boom"));
        bus.Subscribe("invoice.*", _ => { });

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event("order.placed")).Within();

        report.Outcomes.Should().HaveCount(2);
        report.HandledCount.Should().Be(1);
        report.FailedCount.Should().Be(1);
        report.Succeeded.Should().BeFalse();
        report.Outcomes.Should().ContainSingle(o => o.SubscriptionId == ok.Id && o.Result == DeliveryResult.Handled);
        report.Outcomes.Should().ContainSingle(o => o.SubscriptionId == broken.Id && o.Result == DeliveryResult.Failed)
            .Which.Exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom");
        report.ToString().Should().Contain("2 matched, 1 handled, 1 failed");
    }

    [Fact]
    public async Task PublishAndWaitAsync_WithNoMatchingSubscription_CompletesWithAnEmptyReport()
    {
        await using IEventBus bus = await Buses.StartedAsync();

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event("nobody.listens")).Within();

        report.Outcomes.Should().BeEmpty();
        report.Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task PublishAndWaitAsync_ReturnsOnlyAfterAsynchronousHandlersFinish()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(EventFilter.All, async (_, ct) => await release.Task.WaitAsync(ct));

        Task<PublishReport> waiting = bus.PublishAndWaitAsync(Buses.Event()).AsTask();
        await bus.WaitForIdleAsync(new CancellationToken(canceled: true)).Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        waiting.IsCompleted.Should().BeFalse("the handler has not finished");

        release.SetResult();
        (await waiting.Within()).HandledCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishBatchAsync_DeliversAllAndKeepsOrderWithinAKey()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        ConcurrentQueue<int> seen = new();
        Signal delivered = new(500);
        bus.Subscribe<int>((_, n, _) => { seen.Enqueue(n); delivered.Hit(); return ValueTask.CompletedTask; });

        EventEnvelope[] batch = [.. Enumerable.Range(0, 500).Select(i => Buses.Event(key: "one-key", data: i))];
        await bus.PublishBatchAsync(batch);
        await delivered.WaitAsync();

        seen.Should().Equal(Enumerable.Range(0, 500));
    }

    [Fact]
    public async Task PublishBatchAsync_WithANullEvent_RejectsTheWholeBatchNamingTheIndex()
    {
        await using IEventBus bus = Buses.Create();

        await bus.Invoking(b => b.PublishBatchAsync([Buses.Event(), null!, Buses.Event()]).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*null at index 1*No event of the batch was published*");
        bus.GetStatistics().Published.Should().Be(0);
        await bus.Invoking(b => b.PublishBatchAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        await bus.PublishBatchAsync([]);
        bus.GetStatistics().Published.Should().Be(0);
    }

    [Fact]
    public async Task Publish_NullEvent_ThrowsArgumentNullException()
    {
        await using IEventBus bus = Buses.Create();

        await bus.Invoking(b => b.PublishAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        bus.Invoking(b => b.TryPublish(null!)).Should().Throw<ArgumentNullException>();
        await bus.Invoking(b => b.PublishAndWaitAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
    }

    [Fact]
    public async Task TypedSubscription_ReceivesOnlyEventsWithThatPayload()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<string> seen = new();
        Signal delivered = new(1);
        bus.Subscribe<string>(EventFilter.Pattern("note.*"), (e, text, _) =>
        {
            seen.Enqueue(e.Type + "=" + text);
            delivered.Hit();
            return ValueTask.CompletedTask;
        }, options: null);

        await bus.PublishAsync(Buses.Event("note.added", data: 5));
        await bus.PublishAsync(Buses.Event("other.added", data: "no"));
        await bus.PublishAsync(Buses.Event("note.added", data: "hello"));
        await delivered.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        seen.Should().Equal("note.added=hello");
    }

    [Fact]
    public async Task OrderingKey_Option_ChoosesTheKey()
    {
        await using IEventBus bus = await Buses.StartedAsync(o =>
        {
            o.WorkerCount = 4;
            o.OrderingKey = e => e.Source;
        });
        ConcurrentQueue<int> seen = new();
        Signal delivered = new(300);
        bus.Subscribe<int>(EventFilter.All, (_, n, _) => { seen.Enqueue(n); delivered.Hit(); return ValueTask.CompletedTask; }, new SubscriptionOptions { Concurrency = 4 });

        for (int i = 0; i < 300; i++)
        {
            await bus.PublishAsync(new EventBuilder("a.b").WithSource("same-source").WithWorkflow("wf-" + i).WithData(i).Build());
        }

        await delivered.WaitAsync();
        seen.Should().Equal(Enumerable.Range(0, 300), "all events share the source, which is the configured key");
    }
}
