using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

/// <summary>
/// Eight producers publish a million events while subscriptions come, go, pause and resume. At the end every
/// subscription's accounting must balance, no event may reach a subscription twice, and a back-pressure subscription
/// that was there from the start and never touched must have seen every event exactly once. The churned ones drop
/// when paused past their buffer, which the balance must account for too.
/// </summary>
public sealed class AccountingStressTests
{
    private const int Producers = 8;
    private const int EventsPerProducer = 125_000;
    private const int Total = Producers * EventsPerProducer;

    [Fact]
    public async Task MillionEvents_WithRandomSubscriptionChurn_NothingVanishesAndNothingIsDeliveredTwice()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => { o.WorkerCount = 2; o.SubscriptionBufferCapacity = 2_000; });
        EventEnvelope[] events = [.. Enumerable.Range(0, Total).Select(i => Buses.Event(i % 3 == 0 ? "load.even" : "load.odd", key: "k" + (i % 97), data: i))];
        List<Probe> probes = [];
        Probe steady = Probe.Attach(bus, EventFilter.All, concurrency: 2, SubscriptionFullMode.Wait);
        probes.Add(steady);

        int producersDone = 0;
        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (int i = p * EventsPerProducer; i < (p + 1) * EventsPerProducer; i++)
            {
                await bus.PublishAsync(events[i]);
            }

            Interlocked.Increment(ref producersDone);
        }))];

        Random random = new(20261123);
        List<Probe> live = [];
        while (Volatile.Read(ref producersDone) < Producers)
        {
            switch (random.Next(5))
            {
                case 0 or 1 when live.Count < 12:
                    EventFilter filter = random.Next(3) switch { 0 => EventFilter.All, 1 => EventFilter.Type("load.even"), _ => EventFilter.Pattern("load.*") };
                    Probe probe = Probe.Attach(bus, filter, concurrency: 1 + random.Next(3), SubscriptionFullMode.Drop);
                    probes.Add(probe);
                    live.Add(probe);
                    break;
                case 2 when live.Count > 0:
                    live[random.Next(live.Count)].Subscription.Pause();
                    break;
                case 3 when live.Count > 0:
                    live[random.Next(live.Count)].Subscription.Resume();
                    break;
                case 4 when live.Count > 0:
                    Probe removed = live[random.Next(live.Count)];
                    live.Remove(removed);
                    await removed.Subscription.UnsubscribeAsync();
                    break;
            }

            await Task.Yield();
        }

        await Task.WhenAll(producers).Within();
        foreach (Probe probe in live)
        {
            probe.Subscription.Resume();
        }

        await bus.WaitForIdleAsync().Within();

        bus.GetStatistics().Published.Should().Be(Total);
        steady.Subscription.Counters.Should().Be(new SubscriptionCounters { Matched = Total, Delivered = Total, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
        steady.AssertEachEventSeenExactlyOnce(Total);
        probes.Count.Should().BeGreaterThan(5, "the churn loop must actually churn");
        EventBusStatistics statistics = bus.GetStatistics();
        statistics.Matched.Should().Be(
            statistics.Delivered + statistics.Failed + statistics.SubscriptionDropped + statistics.Unhandled + statistics.Filtered + statistics.Expired,
            "the bus's totals balance too, removed subscriptions included, even when routing reached one after its removal");
        foreach (Probe probe in probes)
        {
            probe.AssertBalanced();
        }
    }

    private sealed class Probe
    {
        private readonly byte[] _seen = new byte[Total];

        private Probe(ISubscription subscription) => Subscription = subscription;

        public ISubscription Subscription { get; private set; } = null!;

        public static Probe Attach(IEventBus bus, EventFilter filter, int concurrency, SubscriptionFullMode fullMode)
        {
            Probe probe = new(null!);
            probe.Subscription = bus.Subscribe<int>(filter, (_, n, _) =>
            {
                // Lanes of one subscription never hold the same event, so distinct indexes are written concurrently at most.
                probe._seen[n]++;
                return ValueTask.CompletedTask;
            }, new SubscriptionOptions { Concurrency = concurrency, FullMode = fullMode });
            return probe;
        }

        public void AssertEachEventSeenExactlyOnce(int total) =>
            _seen.Count(b => b == 1).Should().Be(total);

        public void AssertBalanced()
        {
            SubscriptionCounters counters = Subscription.Counters;
            counters.Pending.Should().Be(0);
            _seen.Should().NotContain(b => b > 1, "no event may reach a subscription twice");
            _seen.Count(b => b == 1).Should().Be((int)(counters.Delivered + counters.Failed), "every invocation is counted");
            counters.Matched.Should().Be(counters.Delivered + counters.Failed + counters.Dropped + counters.Unhandled);
        }
    }
}
