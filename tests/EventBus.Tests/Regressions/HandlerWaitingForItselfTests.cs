using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// A handler that published with PublishAndWaitAsync an event its own subscription queues behind it waited forever:
/// the event could only run after the handler returned. The publisher is now told at once, and the event still runs.
/// </summary>
public sealed class HandlerWaitingForItselfTests
{
    [Fact]
    public async Task AHandlerWaitingForAnEventQueuedBehindItself_IsToldAtOnce_AndTheEventStillRuns()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Signal innerHandled = new(1);
        Exception? thrown = null;
        bus.Subscribe(EventFilter.All, async (e, ct) =>
        {
            if (e.Type == "outer.event")
            {
                try
                {
                    await bus.PublishAndWaitAsync(Buses.Event("inner.event"), ct);
                }
                catch (InvalidOperationException exception)
                {
                    thrown = exception;
                }
            }
            else
            {
                innerHandled.Hit();
            }
        }, new SubscriptionOptions { SubscriberId = "self-waiter" });

        PublishReport outer = await Task.Run(() => bus.PublishAndWaitAsync(Buses.Event("outer.event")).AsTask()).Within();
        await innerHandled.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        outer.Succeeded.Should().BeTrue();
        thrown.Should().NotBeNull();
        thrown!.Message.Should().Contain("self-waiter").And.Contain("'inner.event'").And.Contain("could never end").And.Contain("PublishAsync");
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 2, Delivered = 2, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
    }

    [Fact]
    public async Task AHandlerWaitingForAnotherSubscription_WaitsAsUsual()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        PublishReport? inner = null;
        bus.Subscribe(EventFilter.Type("outer.event"), async (_, ct) => inner = await bus.PublishAndWaitAsync(Buses.Event("inner.event"), ct));
        bus.Subscribe(EventFilter.Type("inner.event"), (_, _) => ValueTask.CompletedTask);

        PublishReport outer = await bus.PublishAndWaitAsync(Buses.Event("outer.event")).AsTask().Within();

        outer.Succeeded.Should().BeTrue();
        inner!.HandledCount.Should().Be(1);
    }
}
