namespace EventBus;

/// <summary>A snapshot of one subscription: its counters, its lag and how long its handler takes.</summary>
public sealed record SubscriptionStatistics
{
    /// <summary>Gets the subscription's id.</summary>
    public required Guid SubscriptionId { get; init; }

    /// <summary>Gets the subscriber's id.</summary>
    public required string SubscriberId { get; init; }

    /// <summary>Gets the subscription's state.</summary>
    public required SubscriptionState State { get; init; }

    /// <summary>Gets what it did so far.</summary>
    public required SubscriptionCounters Counters { get; init; }

    /// <summary>Gets the age of the oldest event it is handling or holding for a retry; zero when idle.</summary>
    public TimeSpan Lag { get; init; }

    /// <summary>Gets the median handler duration per attempt (bucket upper bound, within 19%).</summary>
    public TimeSpan HandlerP50 { get; init; }

    /// <summary>Gets the 95th percentile handler duration.</summary>
    public TimeSpan HandlerP95 { get; init; }

    /// <summary>Gets the 99th percentile handler duration.</summary>
    public TimeSpan HandlerP99 { get; init; }

    internal static SubscriptionStatistics Of(Subscription subscription)
    {
        long[] durations = subscription.DurationTotals();
        return new SubscriptionStatistics { SubscriptionId = subscription.Id, SubscriberId = subscription.SubscriberId, State = subscription.State, Counters = subscription.Counters, Lag = subscription.Lag(subscription.Bus.TimeProvider.GetUtcNow()), HandlerP50 = DurationHistogram.Percentile(durations, 0.50), HandlerP95 = DurationHistogram.Percentile(durations, 0.95), HandlerP99 = DurationHistogram.Percentile(durations, 0.99) };
    }
}
