using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

/// <summary>
/// A lane loop reports the deliveries it settles together, once per batch, to the bus's outstanding count and to the places
/// a full wait-mode subscription holds. A delivery whose handler completes later runs its end on another thread, perhaps
/// while the loop is reporting; counting it into the batch there lost updates, and idle (and so a stop) never came.
/// </summary>
public sealed class BatchedSettlementTests
{
    [Theory]
    [InlineData(SubscriptionFullMode.Drop)]
    [InlineData(SubscriptionFullMode.Wait)]
    public async Task HandlersThatCompleteNowOrLater_LeaveNothingOutstanding(SubscriptionFullMode mode)
    {
        // The race needs a continuation to land inside a report, so the run is long: the stop test that found it lost an
        // update in about one run of the suite in two.
        const int Events = 100_000;
        await using IEventBus bus = await Buses.StartedAsync(o =>
        {
            o.WorkerCount = 2;
            o.SubscriptionFullMode = mode;
            o.SubscriptionBufferCapacity = 64;
            o.FullMode = BusFullMode.Wait;
        });
        int handled = 0;
        bus.Subscribe(EventFilter.All, async (envelope, _) =>
        {
            // Every other handler ends on another thread, the others at once: batches mix both kinds.
            if ((int)envelope.Data! % 2 == 0)
            {
                await Task.Yield();
            }

            Interlocked.Increment(ref handled);
        }, new SubscriptionOptions { Concurrency = 2 });

        for (int i = 0; i < Events; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "k" + (i % 13), data: i));
        }

        await bus.WaitForIdleAsync().Within();

        EventBusStatistics statistics = bus.GetStatistics();
        statistics.Outstanding.Should().Be(0);
        statistics.HeldPlaces.Should().Be(0);
        statistics.Backlog.Should().Be(0);
        (statistics.Delivered + statistics.SubscriptionDropped).Should().Be(Events);
        handled.Should().Be((int)statistics.Delivered);
        if (mode == SubscriptionFullMode.Wait)
        {
            handled.Should().Be(Events, "wait mode loses nothing");
        }

        DrainReport report = await bus.StopAsync().Within();
        report.Completed.Should().BeTrue();
    }
}
