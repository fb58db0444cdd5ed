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
    public async Task ADropModeHandler_PublishingIntoAFullBus_StillWaits()
    {
        await using IEventBus bus = await Buses.StartedAsync(o =>
        {
            o.Capacity = 2;
            o.WorkerCount = 1;
        });
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal blocked = new(1);
        Signal stuck = new(1);
        Signal children = new(Children);
        int waited = 0;

        // A wait-mode sink that holds routing back until the gate opens, so the bus fills up.
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            stuck.Hit();
            await gate.Task;
        }, new SubscriptionOptions { SubscriberId = "sink", FullMode = SubscriptionFullMode.Wait, BufferCapacity = 1 });

        // A drop-mode handler (the default) that publishes: routing never waits for it, so it gets ordinary back-pressure.
        bus.Subscribe(EventFilter.Type("fan.out"), async (_, ct) =>
        {
            await stuck.WaitAsync();
            for (int i = 0; i < Children; i++)
            {
                ValueTask publish = bus.PublishAsync(Buses.Event("fan.child", data: i), ct);
                if (!publish.IsCompleted && Interlocked.Increment(ref waited) == 1)
                {
                    blocked.Hit();
                }

                await publish;
                children.Hit();
            }
        }, new SubscriptionOptions { SubscriberId = "publisher" });

        await bus.PublishAsync(Buses.Event("fan.out"));
        await blocked.WaitAsync();
        gate.SetResult();
        await children.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        waited.Should().BeGreaterThan(0);
        bus.GetStatistics().Should().BeEquivalentTo(new { AdmittedOverCapacity = 0L, Published = 1L + Children, SubscriptionDropped = 0L });
    }
}
