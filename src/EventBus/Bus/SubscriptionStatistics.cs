namespace EventBus;

/// <summary>A snapshot of one subscription: its counters, its lag and how long its handler takes.</summary>
/// <param name="SubscriptionId">The subscription's id.</param>
/// <param name="SubscriberId">The subscriber's id.</param>
/// <param name="State">The subscription's state.</param>
/// <param name="Counters">What it did so far.</param>
/// <param name="Lag">The age of the oldest event it is handling or holding for a retry; zero when idle.</param>
/// <param name="HandlerP50">The median handler duration per attempt (bucket upper bound, within 19%).</param>
/// <param name="HandlerP95">The 95th percentile handler duration.</param>
/// <param name="HandlerP99">The 99th percentile handler duration.</param>
public sealed record SubscriptionStatistics(
    Guid SubscriptionId,
    string SubscriberId,
    SubscriptionState State,
    SubscriptionCounters Counters,
    TimeSpan Lag,
    TimeSpan HandlerP50,
    TimeSpan HandlerP95,
    TimeSpan HandlerP99)
{
    internal static SubscriptionStatistics Of(Subscription subscription)
    {
        long[] durations = subscription.DurationTotals();
        return new SubscriptionStatistics(
            subscription.Id,
            subscription.SubscriberId,
            subscription.State,
            subscription.Counters,
            subscription.Lag(subscription.Bus.TimeProvider.GetUtcNow()),
            DurationHistogram.Percentile(durations, 0.50),
            DurationHistogram.Percentile(durations, 0.95),
            DurationHistogram.Percentile(durations, 0.99));
    }
}
