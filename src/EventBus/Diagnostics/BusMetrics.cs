using System.Diagnostics.Metrics;

namespace EventBus;

/// <summary>
/// The bus's <see cref="Meter"/> and instruments. Counters are bumped on the delivery path only when a listener has
/// enabled them, so an unobserved bus pays one flag check; gauges are read from the bus's own counters on demand.
/// </summary>
internal sealed class BusMetrics : IDisposable
{
    private const string SubscriberTag = "messaging.consumer.group.name";
    private readonly bool _ownsMeter;

    public BusMetrics(ChannelEventBus bus, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(new MeterOptions(EventBusDiagnostics.MeterName)) ?? new Meter(EventBusDiagnostics.MeterName);
        Published = Meter.CreateCounter<long>(EventBusDiagnostics.PublishedInstrument, "{message}", "Events accepted and routed by the bus.");
        Consumed = Meter.CreateCounter<long>(EventBusDiagnostics.ConsumedInstrument, "{message}", "Deliveries whose handler completed.");
        ProcessDuration = Meter.CreateHistogram<double>(EventBusDiagnostics.ProcessDurationInstrument, "s", "Handler duration per attempt.");
        Failed = Meter.CreateCounter<long>(EventBusDiagnostics.FailedInstrument, "{delivery}", "Deliveries that failed on their last attempt.");
        Retried = Meter.CreateCounter<long>(EventBusDiagnostics.RetriedInstrument, "{attempt}", "Retry attempts.");
        DeadLettered = Meter.CreateCounter<long>(EventBusDiagnostics.DeadLetteredInstrument, "{message}", "Events sent to the dead-letter queue.");
        Expired = Meter.CreateCounter<long>(EventBusDiagnostics.ExpiredInstrument, "{delivery}", "Deliveries not made because the event had expired.");
        Dropped = Meter.CreateCounter<long>(EventBusDiagnostics.DroppedInstrument, "{message}", "Events dropped by a full bus or subscription buffer.");
        Meter.CreateObservableGauge(EventBusDiagnostics.QueueDepthInstrument, bus.QueueDepthMeasurements, "{message}", "Events waiting to be routed.");
        Meter.CreateObservableGauge(EventBusDiagnostics.InFlightInstrument, () => bus.OutstandingCount, "{delivery}", "Deliveries and events not yet finished.");
        Meter.CreateObservableGauge(EventBusDiagnostics.SubscriptionPendingInstrument, () => PerSubscription(bus, s => s.Counters.Pending), "{message}", "Events waiting for or being handled by a subscription.");
        Meter.CreateObservableGauge(EventBusDiagnostics.SubscriptionLagInstrument, () => PerSubscriptionLag(bus), "s", "Age of the oldest event a subscription is handling or retrying.");
        Meter.CreateObservableGauge(EventBusDiagnostics.DeadLetterCountInstrument, () => (long)bus.DeadLetters.Count, "{message}", "Dead letters held.");
        Meter.CreateObservableCounter(EventBusDiagnostics.AdmittedOverCapacityInstrument, () => bus.AdmittedOverCapacityCount, "{message}", "Events handlers of wait-mode subscriptions published into a full bus, admitted over capacity.");
        Meter.CreateObservableCounter(EventBusDiagnostics.DeadLetterStoreFailedInstrument, () => bus.DeadLetters.StoreFailures, "{change}", "Dead-letter changes the store failed to take.");
    }

    public Meter Meter { get; }

    public Counter<long> Published { get; }

    public Counter<long> Consumed { get; }

    public Histogram<double> ProcessDuration { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Expired { get; }

    public Counter<long> Dropped { get; }

    public static KeyValuePair<string, object?> Subscriber(string subscriberId) => new(SubscriberTag, subscriberId);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static IEnumerable<Measurement<long>> PerSubscription(ChannelEventBus bus, Func<Subscription, long> read)
    {
        foreach (Subscription subscription in bus.SubscriptionSnapshot)
        {
            yield return new Measurement<long>(read(subscription), Subscriber(subscription.SubscriberId));
        }
    }

    private static IEnumerable<Measurement<double>> PerSubscriptionLag(ChannelEventBus bus)
    {
        DateTimeOffset now = bus.TimeProvider.GetUtcNow();
        foreach (Subscription subscription in bus.SubscriptionSnapshot)
        {
            yield return new Measurement<double>(subscription.Lag(now).TotalSeconds, Subscriber(subscription.SubscriberId));
        }
    }
}
