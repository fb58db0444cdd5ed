using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// A handler of a wait-mode subscription that awaited <c>PublishAndWaitAsync</c> for an event bound for another
/// subscription could deadlock: the worker that had to route that event was blocked on the first subscription's full
/// buffer, which waited for the handler; meanwhile unrelated subscriptions received nothing. Routing no longer waits
/// for any subscription: a full wait-mode subscription holds places of the bus's capacity instead, so publishers feel
/// the pressure and other subscriptions keep receiving.
/// </summary>
public sealed class HandlerWaitsNeverStopRoutingTests
{
    [Fact]
    public async Task AWaitModeHandler_WaitingForAnEventBoundElsewhere_IsNotDeadlocked_AndBystandersKeepReceiving()
    {
        await using IEventBus bus = await Buses.StartedAsync(o =>
        {
            o.WorkerCount = 1;
            o.SubscriptionFullMode = SubscriptionFullMode.Wait;
            o.SubscriptionBufferCapacity = 1;
        });
        Signal bystander = new(1);
        Signal first = new(1);
        PublishReport? report = null;
        bus.Subscribe(EventFilter.Pattern("a.#"), async (e, ct) =>
        {
            if (e.Type == "a.first")
            {
                first.Hit();

                // By now the events behind this one have filled this subscription's buffer; routing must go on.
                await bystander.WaitAsync();
                report = await bus.PublishAndWaitAsync(Buses.Event("b.answer", key: "k"), ct);
            }
        }, new SubscriptionOptions { SubscriberId = "waiting" });
        bus.Subscribe(EventFilter.Type("b.answer"), _ => { }, new SubscriptionOptions { SubscriberId = "answering" });
        bus.Subscribe(EventFilter.Type("c.marker"), _ => bystander.Hit(), new SubscriptionOptions { SubscriberId = "bystander" });

        await bus.PublishAsync(Buses.Event("a.first", key: "k"));
        await first.WaitAsync();
        for (int i = 0; i < 4; i++)
        {
            await bus.PublishAsync(Buses.Event("a.next", key: "k"));
        }

        await bus.PublishAsync(Buses.Event("c.marker", key: "k"));
        await bus.WaitForIdleAsync().Within();

        report!.Succeeded.Should().BeTrue();
        EventBusStatistics statistics = bus.GetStatistics();
        statistics.Should().BeEquivalentTo(new { Published = 7L, Delivered = 7L, SubscriptionDropped = 0L, Dropped = 0L, Backlog = 0L });
    }

    [Fact]
    public async Task AFullWaitModeSubscription_HoldsPublishersBackThroughTheBusCapacity_AndLosesNothing()
    {
        const int capacity = 4;
        await using IEventBus bus = await Buses.StartedAsync(o => { o.WorkerCount = 1; o.Capacity = capacity; });
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal busy = new(1);
        Signal others = new(capacity + 2);
        ISubscription slow = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            busy.Hit();
            await release.Task;
        }, new SubscriptionOptions { FullMode = SubscriptionFullMode.Wait, BufferCapacity = 1 });
        bus.Subscribe(EventFilter.All, _ => others.Hit());

        await bus.PublishAsync(Buses.Event(key: "k"));
        await busy.WaitAsync();

        // One waits in the buffer; the next `capacity` hold the bus's places while the subscription is over its buffer.
        for (int i = 0; i < 1 + capacity; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "k"));
        }

        ValueTask held = bus.PublishAsync(Buses.Event(key: "k"));
        held.IsCompleted.Should().BeFalse("every place of the bus is held for the full wait-mode subscription");
        await others.WaitAsync();   // the other subscription got every accepted event meanwhile

        release.SetResult();
        await held.Within();
        await bus.WaitForIdleAsync().Within();
        slow.Counters.Should().BeEquivalentTo(new { Delivered = capacity + 3L, Dropped = 0L });
        bus.GetStatistics().Backlog.Should().Be(0);
    }
}
