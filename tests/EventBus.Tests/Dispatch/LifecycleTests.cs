using EventBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Dispatch;

public sealed class LifecycleTests
{
    [Fact]
    public async Task StopAsync_DrainsEverythingAcceptedBeforeStop()
    {
        IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        int handled = 0;
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            await Task.Yield();
            Interlocked.Increment(ref handled);
        }, new SubscriptionOptions { Concurrency = 2 });
        for (int i = 0; i < 2_000; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "k" + (i % 7)));
        }

        DrainReport report = await bus.StopAsync().Within();

        report.Completed.Should().BeTrue();
        report.UnhandledDeliveries.Should().Be(0);
        handled.Should().Be(2_000);
        bus.State.Should().Be(EventBusState.Stopped);
    }

    [Fact]
    public async Task StopAsync_OnABusNeverStarted_StillDispatchesHeldEvents()
    {
        IEventBus bus = Buses.Create();
        Signal seen = new(3);
        bus.Subscribe("*", _ => seen.Hit());
        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        DrainReport report = await bus.StopAsync().Within();

        report.Completed.Should().BeTrue();
        seen.Count.Should().Be(3);
    }

    [Fact]
    public async Task StopAsync_PastTheDeadline_CancelsHandlersAndReportsWhatWasNotHandled()
    {
        FakeTimeProvider time = Buses.FakeTime();
        IEventBus bus = await Buses.StartedAsync(o => { o.DrainTimeout = TimeSpan.FromSeconds(5); o.WorkerCount = 1; }, time: time);
        Signal entered = new(1);
        TaskCompletionSource<bool> observedCancellation = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ISubscription stuck = bus.Subscribe(EventFilter.All, async (_, ct) =>
        {
            entered.Hit();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                observedCancellation.TrySetResult(true);
                throw;
            }
        });
        for (int i = 0; i < 4; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "k"));
        }

        await entered.WaitAsync();
        Task<DrainReport> stopping = bus.StopAsync();
        stopping.IsCompleted.Should().BeFalse("the handler is still running and the deadline has not passed");

        time.Advance(TimeSpan.FromSeconds(5));
        DrainReport report = await stopping.Within();

        report.Completed.Should().BeFalse();
        report.UnhandledDeliveries.Should().Be(3, "three were buffered; the running one failed once its token was cancelled");
        report.PendingDeliveries.Should().Be(0, "the handler honoured its token, so nothing was left running");
        (await observedCancellation.Task.Within()).Should().BeTrue();
        await bus.WaitForIdleAsync().Within();
        stuck.Counters.Should().BeEquivalentTo(new { Failed = 1L, Unhandled = 3L, Pending = 0L });
    }

    [Fact]
    public async Task StopAsync_WithCallerCancellation_EndsTheDrainEarly()
    {
        IEventBus bus = await Buses.StartedAsync();
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            started.TrySetResult();
            await release.Task;
        });
        await bus.PublishAsync(Buses.Event());
        using CancellationTokenSource cancel = new();

        // The handler is running before the stop: on a loaded machine the event could otherwise still wait for a worker.
        await started.Task.Within();
        Task<DrainReport> stopping = bus.StopAsync(cancel.Token);
        await cancel.CancelAsync();
        DrainReport report = await stopping.Within();

        report.Completed.Should().BeFalse();
        report.UnhandledDeliveries.Should().Be(0, "nothing was discarded");
        report.PendingDeliveries.Should().Be(1, "the handler ignores its cancelled token and is still running");
        release.SetResult();
    }

    [Fact]
    public async Task StopAsync_WithAPausedSubscription_ReportsItsBufferedEventsAsUnhandled()
    {
        IEventBus bus = await Buses.StartedAsync();
        ISubscription paused = bus.Subscribe("*", _ => { });
        Signal routed = new(3);
        bus.Subscribe("*", _ => routed.Hit());
        paused.Pause();
        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await routed.WaitAsync();
        DrainReport report = await bus.StopAsync().Within();

        report.Completed.Should().BeFalse();
        report.UnhandledDeliveries.Should().Be(3);
        paused.Counters.Should().BeEquivalentTo(new { Unhandled = 3L, Delivered = 0L });
    }

    [Fact]
    public async Task PublishAfterStop_ThrowsAClearException()
    {
        IEventBus bus = await Buses.StartedAsync();
        await bus.StopAsync();

        await bus.Invoking(b => b.PublishAsync(Buses.Event()).AsTask()).Should().ThrowAsync<EventBusStoppedException>().WithMessage("*stopped*no longer accepts events*");
        bus.Invoking(b => b.TryPublish(Buses.Event())).Should().Throw<EventBusStoppedException>();
        await bus.Invoking(b => b.PublishBatchAsync([Buses.Event()]).AsTask()).Should().ThrowAsync<EventBusStoppedException>();
        await bus.Invoking(b => b.PublishAndWaitAsync(Buses.Event()).AsTask()).Should().ThrowAsync<EventBusStoppedException>();
        bus.Invoking(b => b.Subscribe("*", _ => { })).Should().Throw<EventBusStoppedException>();
    }

    [Fact]
    public async Task Stop_WakesPublishersWaitingForRoom_WithAStoppedException()
    {
        IEventBus bus = Buses.Create(o => o.Capacity = 1);
        await bus.PublishAsync(Buses.Event());
        ValueTask waiting = bus.PublishAsync(Buses.Event());

        await bus.StopAsync().Within();

        await FluentActions.Awaiting(() => waiting.AsTask().Within()).Should().ThrowAsync<EventBusStoppedException>();
    }

    [Fact]
    public async Task StopAndDispose_AreSafeToCallTwice_AndStartAfterStopThrows()
    {
        IEventBus bus = await Buses.StartedAsync();
        await bus.StartAsync();

        Task<DrainReport> first = bus.StopAsync();
        Task<DrainReport> second = bus.StopAsync();
        second.Should().BeSameAs(first);
        await first.Within();
        await bus.DisposeAsync();
        await bus.DisposeAsync();

        await bus.Invoking(b => b.StartAsync()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*can not be started again*");
    }

    [Fact]
    public async Task Statistics_AfterStop_CountEachDeliveryOnce()
    {
        IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe("*", _ => { });
        ISubscription removed = bus.Subscribe("*", _ => { });
        for (int i = 0; i < 10; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "k"));
        }

        await bus.WaitForIdleAsync().Within();
        await removed.UnsubscribeAsync();
        await bus.StopAsync().Within();
        await bus.WaitForIdleAsync().Within();

        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 10L, Matched = 20L, Delivered = 20L, Subscriptions = 1 });
    }
}
