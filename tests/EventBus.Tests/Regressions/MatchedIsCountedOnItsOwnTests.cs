using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// <see cref="SubscriptionCounters.Matched"/> was the sum of the outcomes, so "Matched equals the sum of the outcomes",
/// which the accounting stress tests check, could never fail. It is now counted where events arrive: an outcome
/// without an arrival (or an arrival without an outcome) shows up as a mismatch.
/// </summary>
public sealed class MatchedIsCountedOnItsOwnTests
{
    [Fact]
    public async Task AnOutcomeRecordedWithoutAnArrival_MakesTheInvariantFail()
    {
        // The stray settlement unbalances the bus's outstanding count too, so its stop would wait out the drain timeout.
        await using IEventBus bus = await Buses.StartedAsync(o => o.DrainTimeout = TimeSpan.FromMilliseconds(10));
        bus.Subscribe("a.b", _ => { });
        await bus.PublishAndWaitAsync(Buses.Event("a.b")).Within();
        Subscription subscription = (Subscription)bus.Subscriptions[0];

        // A broken path that settles an event the subscription never received.
        subscription.Settle(new DispatchItem(Buses.Event("a.b"), 0, null), DeliveryResult.Expired);

        SubscriptionCounters counters = subscription.Counters;
        counters.Matched.Should().Be(1, "one event arrived");
        long outcomes = counters.Delivered + counters.Failed + counters.Dropped + counters.Unhandled + counters.Filtered + counters.Expired + counters.Pending;
        outcomes.Should().Be(0, "the stray settlement took one off pending");
        counters.Matched.Should().NotBe(outcomes, "the invariant catches the broken path");
    }

    [Fact]
    public async Task ARemovedSubscriptionsSettledEvents_StayInTheBusTotals()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ISubscription subscription = bus.Subscribe("a.b", _ => { });
        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAndWaitAsync(Buses.Event("a.b")).Within();
        }

        await subscription.UnsubscribeAsync();

        EventBusStatistics statistics = bus.GetStatistics();
        statistics.Matched.Should().Be(3);
        statistics.Delivered.Should().Be(3);
    }
}
