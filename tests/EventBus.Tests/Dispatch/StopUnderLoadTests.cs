using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

/// <summary>
/// Stopping while producers publish both ways: every publish either returns (its event accepted) or throws
/// <see cref="EventBusStoppedException"/>, every accepted event is handled before the stop completes, and the
/// accepted events are exactly the ones the bus counts as published.
/// </summary>
public sealed class StopUnderLoadTests
{
    [Fact]
    public async Task StoppingWhileProducersPublish_AcceptsOrRefusesEachEvent_AndDrainsEveryAcceptedOne()
    {
        const int Producers = 4;
        IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        long handled = 0;
        bus.Subscribe(EventFilter.All, async (e, _) =>
        {
            if (e.GetData<int>() % 5 == 0)
            {
                await Task.Yield();
            }

            Interlocked.Increment(ref handled);
        }, new SubscriptionOptions { Concurrency = 2, FullMode = SubscriptionFullMode.Wait });
        long accepted = 0;
        long refused = 0;
        Signal warmedUp = new(Producers);
        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (int n = 0; ; n++)
            {
                if (n == 1_000)
                {
                    warmedUp.Hit();
                }

                try
                {
                    EventEnvelope envelope = Buses.Event(key: "key-" + p, data: n);
                    if (n % 2 == 0)
                    {
                        await bus.PublishAsync(envelope);
                    }
                    else
                    {
                        await bus.PublishAndWaitAsync(envelope);
                    }

                    Interlocked.Increment(ref accepted);
                }
                catch (EventBusStoppedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        }))];

        await warmedUp.WaitAsync();
        DrainReport report = await bus.StopAsync().Within();
        await Task.WhenAll(producers).Within();

        report.Completed.Should().BeTrue();
        report.UnhandledDeliveries.Should().Be(0);
        refused.Should().Be(Producers, "each producer stops at its first refused publish");
        Interlocked.Read(ref handled).Should().Be(Interlocked.Read(ref accepted), "everything accepted before the stop is handled before it completes");
        EventBusStatistics statistics = bus.GetStatistics();
        statistics.Published.Should().Be(accepted);
        statistics.Delivered.Should().Be(accepted);
        statistics.Outstanding.Should().Be(0);
        await bus.DisposeAsync();
    }
}
