using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Dispatch;

public sealed class IsolationTests
{
    [Fact]
    public async Task StuckSubscriber_DoesNotDelayOtherSubscriptions()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal stuckEntered = new(1);
        Signal others = new(1_000);
        ISubscription stuck = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            stuckEntered.Hit();
            await release.Task;
        });
        bus.Subscribe("*", _ => others.Hit());

        for (int i = 0; i < 1_000; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "same-key"));
        }

        await stuckEntered.WaitAsync();
        await others.WaitAsync();
        stuck.Counters.Should().BeEquivalentTo(new { Delivered = 0L, Pending = 1_000L });

        release.SetResult();
        await bus.WaitForIdleAsync().Within();
        stuck.Counters.Delivered.Should().Be(1_000);
    }

    [Fact]
    public async Task StuckSubscriberWithAFullBuffer_DropsOnlyForItself_CountedAndLogged()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(logs: logs);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal others = new(20);
        Signal entered = new(1);
        ISubscription stuck = bus.Subscribe(EventFilter.All, async (_, _) => { entered.Hit(); await release.Task; }, new SubscriptionOptions { BufferCapacity = 5, SubscriberId = "slow" });
        bus.Subscribe("*", _ => others.Hit());

        await bus.PublishAsync(Buses.Event());
        await entered.WaitAsync();
        for (int i = 1; i < 20; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        // One in hand, five waiting (BufferCapacity counts only waiting events), fourteen dropped.
        await others.WaitAsync();
        stuck.Counters.Should().BeEquivalentTo(new { Matched = 20L, Dropped = 14L, Pending = 6L });
        logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Message.Contains("slow", StringComparison.Ordinal) && r.Message.Contains("is full (5)", StringComparison.Ordinal))
            .Should().Be(14);

        release.SetResult();
        await bus.WaitForIdleAsync().Within();
        stuck.Counters.Should().BeEquivalentTo(new { Delivered = 6L, Dropped = 14L, Pending = 0L });
        bus.GetStatistics().SubscriptionDropped.Should().Be(14);
    }

    [Fact]
    public async Task HandlerException_IsLoggedWithEventAndSubscription_AndOthersStillReceive()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1, logs);
        Signal healthy = new(10);
        ISubscription failing = bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("handler bug"), new SubscriptionOptions { SubscriberId = "auditor" });
        bus.Subscribe("*", _ => healthy.Hit());
        EventEnvelope first = Buses.Event("audit.recorded");

        await bus.PublishAsync(first);
        for (int i = 1; i < 10; i++)
        {
            await bus.PublishAsync(Buses.Event("audit.recorded"));
        }

        await healthy.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        failing.Counters.Should().BeEquivalentTo(new { Failed = 10L, Delivered = 0L, Pending = 0L });
        FakeLogRecord record = logs.GetSnapshot().First(r => r.Level == LogLevel.Error);
        record.Exception.Should().BeOfType<InvalidOperationException>();
        record.Message.Should().Contain(failing.Id.ToString()).And.Contain("auditor").And.Contain(first.Id.ToString()).And.Contain("audit.recorded");
        bus.GetStatistics().Failed.Should().Be(10);
    }

    [Fact]
    public async Task AsyncHandlerFault_IsIsolatedLikeASynchronousThrow()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("later");
        });

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event()).Within();

        report.Outcomes.Should().ContainSingle().Which.Exception!.Message.Should().Be("later");
    }

    [Fact]
    public async Task FilterThatThrows_IsLoggedAndTreatedAsNoMatch_WorkerKeepsRunning()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1, logs);
        bus.Subscribe(EventFilter.Where(_ => throw new FormatException("bad filter")), (_, _) => ValueTask.CompletedTask);
        Signal healthy = new(3);
        bus.Subscribe("*", _ => healthy.Hit());

        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await healthy.WaitAsync();
        logs.GetSnapshot().Count(r => r.Exception is FormatException).Should().Be(3);
    }
}
