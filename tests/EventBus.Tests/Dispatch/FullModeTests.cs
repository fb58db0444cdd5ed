using System.Collections.Concurrent;
using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Dispatch;

/// <summary>Each full mode, on a bus that is not started yet so that its backlog is exactly what the test published.</summary>
public sealed class FullModeTests
{
    [Fact]
    public async Task Wait_PublishWaitsForRoom_AndTryPublishRefuses()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 2; o.WorkerCount = 1; });
        Signal delivered = new(3);
        bus.Subscribe("*", _ => delivered.Hit());
        await bus.PublishAsync(Buses.Event());
        await bus.PublishAsync(Buses.Event());

        ValueTask third = bus.PublishAsync(Buses.Event());
        third.IsCompleted.Should().BeFalse("the bus is full, so the publisher waits");
        bus.TryPublish(Buses.Event()).Should().BeFalse();

        await bus.StartAsync();
        await third.Within();
        await delivered.WaitAsync();
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 3L, Rejected = 1L, Dropped = 0L });
    }

    [Fact]
    public async Task Wait_CancellingTheWait_DoesNotAcceptTheEvent()
    {
        await using IEventBus bus = Buses.Create(o => o.Capacity = 1);
        await bus.PublishAsync(Buses.Event());
        using CancellationTokenSource cancel = new();

        ValueTask waiting = bus.PublishAsync(Buses.Event(), cancel.Token);
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => waiting.AsTask()).Should().ThrowAsync<OperationCanceledException>();
        bus.GetStatistics().Published.Should().Be(1);
    }

    [Fact]
    public async Task Wait_BatchLargerThanCapacity_IsAcceptedInChunksAsRoomFrees()
    {
        await using IEventBus bus = Buses.Create(o => o.Capacity = 10);
        Signal delivered = new(35);
        bus.Subscribe("*", _ => delivered.Hit());

        ValueTask<BatchPublishResult> batch = bus.PublishBatchAsync([.. Enumerable.Range(0, 35).Select(_ => Buses.Event())]);
        batch.IsCompleted.Should().BeFalse();
        await bus.StartAsync();

        (await batch.Within()).Accepted.Should().Be(35);
        await delivered.WaitAsync();
    }

    [Fact]
    public async Task Reject_PublishThrowsNamingTheCapacity_AndTryPublishReturnsFalse()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 2; o.FullMode = BusFullMode.Reject; });
        await bus.PublishAsync(Buses.Event());
        bus.TryPublish(Buses.Event()).Should().BeTrue();

        EventBusFullException error = (await bus.Invoking(b => b.PublishAsync(Buses.Event("order.placed")).AsTask())
            .Should().ThrowAsync<EventBusFullException>()).Which;
        error.Capacity.Should().Be(2);
        error.Message.Should().Contain("Capacity = 2").And.Contain("order.placed").And.Contain("BusFullMode.Wait");
        bus.TryPublish(Buses.Event()).Should().BeFalse();
        await bus.Invoking(b => b.PublishAndWaitAsync(Buses.Event()).AsTask()).Should().ThrowAsync<EventBusFullException>();
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 2L, Rejected = 3L });
    }

    [Fact]
    public async Task Reject_BatchThatDoesNotFit_IsRejectedWhole()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 5; o.FullMode = BusFullMode.Reject; });
        await bus.PublishAsync(Buses.Event());

        await bus.Invoking(b => b.PublishBatchAsync([.. Enumerable.Range(0, 5).Select(_ => Buses.Event())]).AsTask())
            .Should().ThrowAsync<EventBusFullException>().WithMessage("*batch of 5 events*No event of the batch was published*");

        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 1L, Rejected = 5L, Backlog = 1L });
    }

    [Fact]
    public async Task DropWrite_DropsTheIncomingEvent_CountsAndLogsIt()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 2; o.FullMode = BusFullMode.DropWrite; o.WorkerCount = 1; }, logs);
        ConcurrentQueue<int> seen = new();
        bus.Subscribe<int>((_, n, _) => { seen.Enqueue(n); return ValueTask.CompletedTask; });

        await bus.PublishAsync(Buses.Event(data: 1));
        await bus.PublishAsync(Buses.Event(data: 2));
        await bus.PublishAsync(Buses.Event(data: 3));
        bus.TryPublish(Buses.Event(data: 4)).Should().BeFalse();
        await bus.PublishBatchAsync([Buses.Event(data: 5)]);
        await bus.Invoking(b => b.PublishAndWaitAsync(Buses.Event(data: 6)).AsTask()).Should().ThrowAsync<EventBusFullException>().WithMessage("*dropped*DropWrite*");
        await bus.StartAsync();
        await bus.WaitForIdleAsync().Within();

        seen.Should().Equal(1, 2);
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 2L, Dropped = 4L });
        logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains("dropped newest", StringComparison.Ordinal)).Should().HaveCount(4);
    }

    [Fact]
    public async Task DropOldest_EvictsTheOldestOfTheLeastUrgent_CountsAndLogsIt()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 3; o.FullMode = BusFullMode.DropOldest; o.WorkerCount = 1; }, logs);
        ConcurrentQueue<string> seen = new();
        bus.Subscribe<string>((_, name, _) => { seen.Enqueue(name); return ValueTask.CompletedTask; });

        await bus.PublishAsync(Buses.Event(priority: EventPriority.Normal, data: "normal-1"));
        await bus.PublishAsync(Buses.Event(priority: EventPriority.Low, data: "low-1"));
        await bus.PublishAsync(Buses.Event(priority: EventPriority.Low, data: "low-2"));
        await bus.PublishAsync(Buses.Event(priority: EventPriority.High, data: "high-1"));
        bus.TryPublish(Buses.Event(priority: EventPriority.Normal, data: "normal-2")).Should().BeTrue();
        await bus.StartAsync();
        await bus.WaitForIdleAsync().Within();

        seen.Should().Equal("high-1", "normal-1", "normal-2");
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 5L, Dropped = 2L, Backlog = 0L });
        logs.GetSnapshot().Count(r => r.Message.Contains("dropped oldest", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task DropOldest_PublishAndWaitOfAnEvictedEvent_ThrowsInsteadOfHanging()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 1; o.FullMode = BusFullMode.DropOldest; o.WorkerCount = 1; });
        bus.Subscribe("*", _ => { });
        Task<PublishReport> evicted = bus.PublishAndWaitAsync(Buses.Event(priority: EventPriority.Low)).AsTask();
        await bus.PublishAsync(Buses.Event(priority: EventPriority.High));

        await bus.StartAsync();

        await evicted.Invoking(t => t.Within()).Should().ThrowAsync<EventBusFullException>().WithMessage("*dropped to make room*DropOldest*");
    }

    [Fact]
    public async Task DropOldest_BatchBeyondCapacity_EvictsOldest()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 4; o.FullMode = BusFullMode.DropOldest; o.WorkerCount = 1; });
        ConcurrentQueue<int> seen = new();
        bus.Subscribe<int>((_, n, _) => { seen.Enqueue(n); return ValueTask.CompletedTask; });

        await bus.PublishBatchAsync([.. Enumerable.Range(0, 7).Select(i => Buses.Event(data: i))]);
        await bus.StartAsync();
        await bus.WaitForIdleAsync().Within();

        seen.Should().Equal(3, 4, 5, 6);
        bus.GetStatistics().Dropped.Should().Be(3);
    }

    [Fact]
    public async Task DropOldest_WhenEvictionsOwedReachCapacity_DropsTheIncomingEventInsteadOfGrowing()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 2; o.FullMode = BusFullMode.DropOldest; o.WorkerCount = 1; });
        ConcurrentQueue<int> seen = new();
        bus.Subscribe<int>((_, n, _) => { seen.Enqueue(n); return ValueTask.CompletedTask; });

        // Not started: nothing pays the owed evictions back, so the bus must stop growing at twice its capacity.
        for (int i = 0; i < 6; i++)
        {
            await bus.PublishAsync(Buses.Event(data: i));
        }

        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 4L, Dropped = 2L });
        await bus.StartAsync();
        await bus.WaitForIdleAsync().Within();
        seen.Should().Equal(2, 3);
        bus.GetStatistics().Dropped.Should().Be(4);
    }
}
