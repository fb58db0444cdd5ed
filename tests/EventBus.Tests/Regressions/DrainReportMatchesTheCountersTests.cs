using EventBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Regressions;

/// <summary>
/// At the drain deadline, <c>DrainReport</c> added the deliveries outstanding at the deadline to the ones discarded
/// after it, counting most twice (9,992 reported against 4,992 unhandled and 8 failed). The report now equals the
/// subscriptions' own counters.
/// </summary>
public sealed class DrainReportMatchesTheCountersTests
{
    private const int Queued = 200;

    [Fact]
    public async Task AtTheDeadline_TheReportedUnhandledDeliveries_EqualTheCounters()
    {
        FakeTimeProvider time = Buses.FakeTime();
        IEventBus bus = await Buses.StartedAsync(o => { o.WorkerCount = 1; o.DrainTimeout = TimeSpan.FromSeconds(5); }, time: time);
        Signal stuck = new(1);
        ISubscription subscription = bus.Subscribe(EventFilter.All, async (_, ct) =>
        {
            stuck.Hit();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);   // honours its token, so it ends at the deadline
        });
        for (int i = 0; i < Queued; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "one-key"));
        }

        await stuck.WaitAsync();
        Task<DrainReport> stopping = bus.StopAsync();
        time.Advance(TimeSpan.FromSeconds(6));
        DrainReport report = await stopping.Within();

        SubscriptionCounters counters = subscription.Counters;
        counters.Failed.Should().Be(1, "the stuck handler's token was cancelled at the deadline");
        counters.Unhandled.Should().Be(Queued - 1);
        report.Completed.Should().BeFalse();
        report.UnhandledDeliveries.Should().Be(counters.Unhandled, "the report must say what the counters say");
    }
}
