using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Regressions;

/// <summary>
/// A handler of a wait-mode subscription that published into a full wait-mode bus deadlocked it: routing waited for
/// room in the handler's buffer, and the handler waited for routing to free room in the bus. Such publishes are now
/// admitted over capacity and counted; every other publisher still feels the back-pressure.
/// </summary>
public sealed class WaitModeHandlerDeadlockTests
{
    private const int Children = 20;

    [Fact]
    public async Task AWaitModeHandler_PublishingIntoAFullBus_IsAdmittedOverCapacity_AndNothingIsLost()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(
            o =>
            {
                o.Capacity = 2;
                o.WorkerCount = 1;
                o.SubscriptionFullMode = SubscriptionFullMode.Wait;
                o.SubscriptionBufferCapacity = 1;
            },
            logs);
        int waited = 0;
        Signal handled = new(1 + Children);
        bus.Subscribe(EventFilter.All, async (e, ct) =>
        {
            if (e.Type == "fan.out")
            {
                for (int i = 0; i < Children; i++)
                {
                    // The fan-out outruns routing, which waits on this very subscription: the bus is full after two.
                    ValueTask publish = bus.PublishAsync(Buses.Event("fan.child", data: i), ct);
                    if (!publish.IsCompleted)
                    {
                        Interlocked.Increment(ref waited);
                    }

                    await publish;
                }
            }

            handled.Hit();
        }, new SubscriptionOptions { SubscriberId = "fan" });

        await bus.PublishAsync(Buses.Event("fan.out"));
        await handled.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        waited.Should().Be(0, "a handler the bus may be waiting for is never made to wait");
        EventBusStatistics statistics = bus.GetStatistics();
        statistics.AdmittedOverCapacity.Should().BeGreaterThan(0);
        statistics.Should().BeEquivalentTo(new { Published = 1L + Children, Delivered = 1L + Children, SubscriptionDropped = 0L, Dropped = 0L, Backlog = 0L });
        logs.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning && r.Message.Contains("admitted over capacity", StringComparison.Ordinal))
            .Which.Message.Should().Contain("fan");
    }

    [Fact]
    public async Task ADropModeHandler_PublishingIntoABusFullBecauseOfAWaitModeSink_IsAdmittedToo_WhileOtherPublishersWait()
    {
        await using IEventBus bus = await Buses.StartedAsync(o =>
        {
            o.Capacity = 2;
            o.WorkerCount = 1;
        });
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal stuck = new(1);
        Signal children = new(Children);
        int waited = 0;

        // A wait-mode sink that holds the bus's places while its buffer is full, until the gate opens.
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            stuck.Hit();
            await gate.Task;
        }, new SubscriptionOptions { SubscriberId = "sink", FullMode = SubscriptionFullMode.Wait, BufferCapacity = 1 });

        // A drop-mode handler that publishes: the sink may (through some chain) wait for it, so it is never made to wait.
        bus.Subscribe(EventFilter.Type("fan.out"), async (_, ct) =>
        {
            await stuck.WaitAsync();
            for (int i = 0; i < Children; i++)
            {
                ValueTask publish = bus.PublishAsync(Buses.Event("fan.child", data: i), ct);
                if (!publish.IsCompleted)
                {
                    Interlocked.Increment(ref waited);
                }

                await publish;
                children.Hit();
            }
        }, new SubscriptionOptions { SubscriberId = "publisher" });

        await bus.PublishAsync(Buses.Event("fan.out"));
        await children.WaitAsync();

        // Every place is held now; a publisher outside handlers waits for room.
        ValueTask outside = bus.PublishAsync(Buses.Event("outside"));
        outside.IsCompleted.Should().BeFalse("publishers outside handlers still feel the back-pressure");
        gate.SetResult();
        await outside.Within();
        await bus.WaitForIdleAsync().Within();

        waited.Should().Be(0);
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 2L + Children, SubscriptionDropped = 0L, HeldPlaces = 0L, Backlog = 0L });
        bus.GetStatistics().AdmittedOverCapacity.Should().BeGreaterThan(0);
    }
}
