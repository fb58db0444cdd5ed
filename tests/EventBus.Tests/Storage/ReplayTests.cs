using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Storage;

public sealed class ReplayTests
{
    private readonly WatchedTime _time = new();
    private readonly InMemoryEventStore _store = new();

    [Fact]
    public async Task Replay_RepublishesToEveryMatchingSubscription_MarkedAsReplays_AndDoesNotStoreThemAgain()
    {
        await using IEventBus bus = await StartedAsync();
        EventEnvelope[] history = [Event("order.placed", "wf-1"), Event("order.paid", "wf-1"), Event("stock.low", null)];
        await _store.AppendBatchAsync(history);
        ConcurrentQueue<EventEnvelope> orders = [];
        ConcurrentQueue<EventEnvelope> everything = [];
        bus.Subscribe("order.*", e => orders.Enqueue(e));
        bus.Subscribe("#", e => everything.Enqueue(e));

        ReplayResult result = await new EventReplayer(bus, _store).ReplayAsync(new EventQuery { TypePattern = "order.#" });
        await bus.WaitForIdleAsync().Within();

        result.Should().BeEquivalentTo(new { Replayed = 2L, Skipped = 0L });
        orders.Select(e => e.Id).Should().Equal(history[0].Id, history[1].Id);
        everything.Should().HaveCount(2);
        orders.Should().OnlyContain(e => e.Metadata[EventMetadataKeys.Replayed] == "true");
        (await _store.CountAsync()).Should().Be(3, "replays are not stored again");
    }

    [Fact]
    public async Task Replay_ToOneSubscription_ReachesOnlyIt()
    {
        await using IEventBus bus = await StartedAsync();
        await _store.AppendBatchAsync([Event("order.placed", "wf-1"), Event("order.paid", "wf-1")]);
        ConcurrentQueue<Guid> late = [];
        ConcurrentQueue<Guid> existing = [];
        bus.Subscribe("#", e => existing.Enqueue(e.Id));
        ISubscription lateSubscriber = bus.Subscribe("order.*", e => late.Enqueue(e.Id));

        ReplayResult result = await new EventReplayer(bus, _store).ReplayAsync(new EventQuery(), new ReplayOptions { SubscriptionId = lateSubscriber.Id });
        await bus.WaitForIdleAsync().Within();

        result.Replayed.Should().Be(2);
        late.Should().HaveCount(2);
        existing.Should().BeEmpty("a replay for one subscription reaches no other");
    }

    [Fact]
    public async Task ReplayWorkflow_FromATimestamp_KeepsOrder_AndHonoursTheRateLimit()
    {
        await using IEventBus bus = await StartedAsync();
        List<EventEnvelope> workflow = [];
        for (int i = 0; i < 5; i++)
        {
            workflow.Add(Event("step.done", "wf-9"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await _store.AppendBatchAsync(workflow);
        ConcurrentQueue<(Guid Id, DateTimeOffset At)> seen = [];
        Signal done = new(4);
        bus.Subscribe("step.done", e =>
        {
            seen.Enqueue((e.Id, _time.GetUtcNow()));
            done.Hit();
        });
        DateTimeOffset start = _time.GetUtcNow();

        Task<ReplayResult> replay = new EventReplayer(bus, _store).ReplayWorkflowAsync("wf-9", workflow[1].Timestamp, new ReplayOptions { MaxEventsPerSecond = 2 });
        for (int timer = 1; timer <= 3; timer++)
        {
            await _time.TimerCreatedAsync(timer);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        ReplayResult result = await replay.Within();
        await done.WaitAsync();

        result.Replayed.Should().Be(4);
        result.Elapsed.Should().Be(TimeSpan.FromSeconds(1.5));
        seen.Select(s => s.Id).Should().Equal(workflow.Skip(1).Select(e => e.Id));
        seen.Last().At.Should().Be(start.AddSeconds(1.5), "four events at two per second take a second and a half to start");
    }

    [Fact]
    public async Task BadReplayOptions_AreRefusedWithTheValue()
    {
        await using IEventBus bus = await StartedAsync();
        EventReplayer replayer = new(bus, _store);
        Guid unknown = Guid.NewGuid();

        Func<Task> noSuchSubscription = () => replayer.ReplayAsync(new EventQuery(), new ReplayOptions { SubscriptionId = unknown });
        Func<Task> zeroRate = () => replayer.ReplayAsync(new EventQuery(), new ReplayOptions { MaxEventsPerSecond = 0 });

        (await noSuchSubscription.Should().ThrowAsync<ArgumentException>()).WithMessage($"*{unknown}*no live subscription*");
        (await zeroRate.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*MaxEventsPerSecond is 0*");
    }

    [Fact]
    public async Task UnreadableEvents_AreSkippedAndReported()
    {
        await using IEventBus bus = await StartedAsync();
        EventEnvelope bad = new EventBuilder("order.placed").WithData(new UnreadablePayload { TypeName = "Gone.Type, Gone", Json = "{}", Error = "type missing" }).Build(_time);
        await _store.AppendBatchAsync([bad, Event("order.placed", null)]);
        bus.Subscribe("#", _ => { });

        ReplayResult result = await new EventReplayer(bus, _store).ReplayAsync(new EventQuery());

        result.Should().BeEquivalentTo(new { Replayed = 1L, Skipped = 1L, SkippedEventIds = new[] { bad.Id } });
    }

    private async Task<IEventBus> StartedAsync()
    {
        IEventBus bus = EventBusFactory.Create(o => o.WorkerCount = 2, timeProvider: _time, store: _store);
        await bus.StartAsync();
        return bus;
    }

    private EventEnvelope Event(string type, string? workflowId) => new EventBuilder(type).WithWorkflow(workflowId).Build(_time);
}
