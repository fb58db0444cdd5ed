using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

public sealed class SubscriptionFullModeTests
{
    [Fact]
    public async Task Wait_AFullSubscriptionHoldsRoutingBackToThePublisher_AndDropsNothing()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => { o.Capacity = 2; o.WorkerCount = 1; });
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ConcurrentQueue<int> seen = new();
        bus.Subscribe<int>(EventFilter.All, async (_, n, _) =>
        {
            await release.Task;
            seen.Enqueue(n);
        }, new SubscriptionOptions { BufferCapacity = 1, FullMode = SubscriptionFullMode.Wait });

        List<Task> publishes = [];
        for (int i = 0; i < 5; i++)
        {
            publishes.Add(bus.PublishAsync(Buses.Event(data: i)).AsTask());
        }

        // One event runs, one waits in routing and two fill the bus, so at least one publish is held back. Which one
        // depends on which waiting publisher wins the freed places; the bus promises no order among unawaited publishes.
        publishes.Should().Contain(p => !p.IsCompleted, "back-pressure from the full subscription reaches the publisher");

        release.SetResult();
        await Task.WhenAll(publishes).Within();

        await bus.WaitForIdleAsync().Within();
        // The publishes above were not awaited one by one, so the bus promises no order among them; only that none is lost.
        seen.Should().BeEquivalentTo([0, 1, 2, 3, 4]);
        bus.GetStatistics().Should().BeEquivalentTo(new { SubscriptionDropped = 0L, Delivered = 5L });
    }

    [Fact]
    public async Task Wait_RemovingAFullSubscription_ReleasesRoutingAndCountsTheRestAsUnhandled()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal entered = new(1);
        ISubscription full = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            entered.Hit();
            await release.Task;
        }, new SubscriptionOptions { BufferCapacity = 1, FullMode = SubscriptionFullMode.Wait });
        Signal others = new(4);
        bus.Subscribe("*", _ => others.Hit());

        for (int i = 0; i < 4; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await entered.WaitAsync();
        ValueTask removal = full.UnsubscribeAsync();
        release.SetResult();
        await removal.Within();
        await others.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        full.Counters.Should().BeEquivalentTo(new { Delivered = 1L, Pending = 0L, Dropped = 0L });
        (full.Counters.Delivered + full.Counters.Unhandled).Should().Be(full.Counters.Matched);
    }

    [Fact]
    public void Options_UnknownSubscriptionFullMode_IsRejected()
    {
        IEventBus bus = Buses.Create();

        bus.Invoking(b => b.Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { FullMode = (SubscriptionFullMode)7 }))
            .Should().Throw<ArgumentException>().WithMessage("*FullMode is 7*Drop or Wait*");
    }
}
