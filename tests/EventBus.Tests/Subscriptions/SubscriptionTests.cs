using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Subscriptions;

public sealed class SubscriptionTests
{
    [Fact]
    public async Task Subscribe_ReturnsAHandleDescribingTheSubscription()
    {
        await using IEventBus bus = Buses.Create();

        ISubscription subscription = bus.Subscribe(EventFilter.Pattern("workflow.*"), (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { SubscriberId = "dashboard" });

        subscription.Id.Version.Should().Be(7);
        subscription.SubscriberId.Should().Be("dashboard");
        subscription.FilterDescription.Should().Be("type matches 'workflow.*'");
        subscription.Filter.Should().NotBeNull();
        subscription.State.Should().Be(SubscriptionState.Active);
        subscription.Counters.Should().Be(new SubscriptionCounters { Matched = 0, Delivered = 0, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
        bus.Subscriptions.Should().ContainSingle().Which.Should().BeSameAs(subscription);
        bus.Subscribe("*", _ => { }).SubscriberId.Should().NotBeNullOrEmpty("the subscription id stands in for a missing subscriber id");
    }

    [Fact]
    public async Task PauseAndResume_BuffersWhilePaused_ThenDeliversInOrder()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        ConcurrentQueue<int> seen = new();
        Signal resumedAll = new(100);
        ISubscription subscription = bus.Subscribe<int>((_, n, _) => { seen.Enqueue(n); resumedAll.Hit(); return ValueTask.CompletedTask; });
        Signal routed = new(100);
        bus.Subscribe("*", _ => routed.Hit());

        subscription.Pause();
        subscription.Pause();
        subscription.State.Should().Be(SubscriptionState.Paused);
        for (int i = 0; i < 100; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "k", data: i));
        }

        await routed.WaitAsync();
        seen.Should().BeEmpty();
        subscription.Counters.Pending.Should().Be(100);

        subscription.Resume();
        subscription.Resume();
        await resumedAll.WaitAsync();

        subscription.State.Should().Be(SubscriptionState.Active);
        seen.Should().Equal(Enumerable.Range(0, 100));
    }

    [Fact]
    public async Task Unsubscribe_WhilePublishingFromOtherThreads_NoInvocationStartsAfterItReturns()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        int returned = 0;
        int invokedAfterReturn = 0;
        Signal warmedUp = new(2_000);
        ISubscription subscription = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            if (Volatile.Read(ref returned) == 1)
            {
                Interlocked.Increment(ref invokedAfterReturn);
            }

            warmedUp.Hit();
            await Task.Yield();
        }, new SubscriptionOptions { Concurrency = 4 });
        using CancellationTokenSource stopProducers = new();
        Task[] producers = [.. Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            int n = 0;
            while (!stopProducers.IsCancellationRequested)
            {
                await bus.PublishAsync(Buses.Event(key: "k" + (n++ % 16)));
            }
        }))];

        await warmedUp.WaitAsync();
        await subscription.UnsubscribeAsync().Within();
        Volatile.Write(ref returned, 1);
        long deliveredAtReturn = subscription.Counters.Delivered;

        // Keep publishing for a while after removal, then let everything settle.
        Signal more = new(5_000);
        bus.Subscribe("*", _ => more.Hit());
        await more.WaitAsync();
        await stopProducers.CancelAsync();
        await Task.WhenAll(producers).Within();
        await bus.WaitForIdleAsync().Within();

        invokedAfterReturn.Should().Be(0);
        subscription.State.Should().Be(SubscriptionState.Removed);
        subscription.Counters.Delivered.Should().Be(deliveredAtReturn);
        subscription.Counters.Pending.Should().Be(0);
        bus.Subscriptions.Should().NotContain(subscription);
    }

    [Fact]
    public async Task Unsubscribe_DiscardsBufferedEvents_CountingThemAsUnhandled()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ISubscription subscription = bus.Subscribe("*", _ => { });
        Signal routed = new(10);
        bus.Subscribe("*", _ => routed.Hit());
        subscription.Pause();
        for (int i = 0; i < 10; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await routed.WaitAsync();
        await subscription.DisposeAsync();
        await bus.WaitForIdleAsync().Within();

        subscription.Counters.Should().Be(new SubscriptionCounters { Matched = 10, Delivered = 0, Failed = 0, Dropped = 0, Unhandled = 10, Pending = 0 });
        await subscription.UnsubscribeAsync().Within();
        subscription.Invoking(s => s.Pause()).Should().Throw<InvalidOperationException>().WithMessage("*was removed*subscribe again*");
        subscription.Invoking(s => s.Resume()).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task Unsubscribe_FromInsideItsOwnHandler_ReturnsWithoutWaitingForItself()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ISubscription? self = null;
        int calls = 0;
        Signal removed = new(1);
        self = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            Interlocked.Increment(ref calls);
            await self!.UnsubscribeAsync();
            removed.Hit();
        });

        await bus.PublishAsync(Buses.Event());
        await bus.PublishAsync(Buses.Event());
        await removed.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        calls.Should().Be(1);
        self.State.Should().Be(SubscriptionState.Removed);
    }

    [Fact]
    public async Task Subscribe_WhileEventsFlow_StartsReceivingWithoutDisturbingOthers()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Signal first = new(200);
        bus.Subscribe("*", _ => first.Hit());
        Signal late = new(100);

        for (int i = 0; i < 100; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        bus.Subscribe("*", _ => late.Hit());
        for (int i = 0; i < 100; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await first.WaitAsync();
        await late.WaitAsync();
        bus.Subscriptions.Should().HaveCount(2);
    }

    [Fact]
    public async Task Subscribe_BadArguments_AreRejectedWithMessagesThatSayWhatToDo()
    {
        await using IEventBus bus = Buses.Create();

        bus.Invoking(b => b.Subscribe(null!, (_, _) => ValueTask.CompletedTask)).Should().Throw<ArgumentNullException>();
        bus.Invoking(b => b.Subscribe(EventFilter.All, null!)).Should().Throw<ArgumentNullException>();
        bus.Invoking(b => b.Subscribe("*", (Action<EventEnvelope>)null!)).Should().Throw<ArgumentNullException>();
        bus.Invoking(b => b.Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { Concurrency = 0 }))
            .Should().Throw<ArgumentException>().WithMessage("*Concurrency is 0*from 1 to 1024*");
        bus.Invoking(b => b.Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { BufferCapacity = -3 }))
            .Should().Throw<ArgumentException>().WithMessage("*BufferCapacity is -3*");
        bus.Invoking(b => b.Subscribe("work*", _ => { })).Should().Throw<ArgumentException>().WithMessage("*inside a segment*");
        bus.Subscriptions.Should().BeEmpty();
    }
}
