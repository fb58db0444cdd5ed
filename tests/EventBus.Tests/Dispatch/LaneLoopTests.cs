using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

/// <summary>The bus owns its subscriptions' lane loops: a stop returns only once every loop has ended.</summary>
public sealed class LaneLoopTests
{
    [Fact]
    public async Task Stop_ReturnsOnceEveryLaneLoopHasEnded_IncludingOnesHoldingAParkedRetry()
    {
        // The parked retry keeps the bus from going idle, so the drain gives up at its deadline and the lanes discard it.
        IEventBus bus = await Buses.StartedAsync(o =>
        {
            o.WorkerCount = 2;
            o.DrainTimeout = TimeSpan.FromMilliseconds(200);
        });
        Signal handled = new(20);
        Signal failed = new(1);
        ISubscription counting = bus.Subscribe(EventFilter.Pattern("order.#"), (_, _) =>
        {
            handled.Hit();
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { SubscriberId = "counting", Concurrency = 4 });

        // A retry parked for an hour: its lane ends only after cancelling the timer and accounting for the event.
        ISubscription parking = bus.Subscribe(EventFilter.Pattern("order.#"), (_, _) =>
        {
            failed.Hit();
            throw new InvalidOperationException("down");
        }, new SubscriptionOptions { SubscriberId = "parking", Retry = new RetryPolicy { MaxAttempts = 3, Delay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) } });
        for (int i = 0; i < 20; i++)
        {
            await bus.PublishAsync(Buses.Event("order.placed", key: "wf-" + (i % 5)));
        }

        await handled.WaitAsync();
        await failed.WaitAsync();
        DrainReport report = await bus.StopAsync();

        Task[] loops = [.. ((Subscription)counting).LaneLoops!, .. ((Subscription)parking).LaneLoops!];
        loops.Should().HaveCount(5).And.OnlyContain(loop => loop.IsCompletedSuccessfully, "the stop awaited every lane loop");
        report.UnhandledDeliveries.Should().Be(20, "the parking subscription parked the first event of each of the five keys and held the rest behind them; its lane discarded all twenty when it ended, and counted them");
        await bus.DisposeAsync();
    }
}
