using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventBus;

/// <summary>
/// The bus's <see cref="Meter"/> and instruments. Counters are bumped on the delivery path only when a listener has
/// enabled them, so an unobserved bus pays one flag check; gauges are read from the bus's own counters on demand.
/// </summary>
internal sealed class BusMetrics : IDisposable
{
    /// <summary>Anonymous subscriptions (no subscriber id) that get a consumer group of their own; later ones share <see cref="BoundedTagValues.Other"/>.</summary>
    internal const int MaxAnonymousGroups = 100;

    private const string SubscriberTag = "messaging.consumer.group.name";
    private const string SystemTag = "messaging.system";
    private const string OperationNameTag = "messaging.operation.name";
    private const string OperationTypeTag = "messaging.operation.type";
    private const string DestinationTag = "messaging.destination.name";
    private const string OutcomeTag = "eventbus.outcome";
    private const string ErrorTypeTag = "error.type";
    private const string System = "eventbus";
    /// <summary>The bucket boundaries the OpenTelemetry messaging conventions recommend for <c>messaging.process.duration</c>, in seconds.</summary>
    internal static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    private readonly bool _ownsMeter;
    private readonly BoundedTagValues _eventTypes;
    private readonly BoundedTagValues _anonymousGroups = new(MaxAnonymousGroups);

    public BusMetrics(ChannelEventBus bus, IMeterFactory? meterFactory, EventCatalog catalog, int eventTypeLimit)
    {
        _ownsMeter = meterFactory is null;
        _eventTypes = new BoundedTagValues(eventTypeLimit, catalog.Contains);
        Meter = meterFactory?.Create(new MeterOptions(EventBusDiagnostics.MeterName)) ?? new Meter(EventBusDiagnostics.MeterName);
        Published = Meter.CreateCounter<long>(EventBusDiagnostics.PublishedInstrument, "{message}", "Events accepted and routed by the bus.");
        Consumed = Meter.CreateCounter<long>(EventBusDiagnostics.ConsumedInstrument, "{message}", "Deliveries to a handler, whether it completed or failed (see eventbus.outcome).");
        ProcessDuration = Meter.CreateHistogram<double>(EventBusDiagnostics.ProcessDurationInstrument, "s", "Handler duration per attempt.", tags: null, DurationAdvice);
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

    /// <summary>Gets the consumer group of a subscription: its subscriber id, or for an anonymous one its filter, bounded.</summary>
    public string ConsumerGroup(string? subscriberId, EventFilter filter) => subscriberId ?? _anonymousGroups.For(filter.Description);

    /// <summary>Tags of a routed event: the OpenTelemetry send operation, and the event type as the destination.</summary>
    public TagList PublishTags(EventEnvelope envelope) => new()
    {
        { SystemTag, System },
        { OperationNameTag, "send" },
        { OperationTypeTag, "send" },
        { DestinationTag, _eventTypes.For(envelope.Type) },
    };

    /// <summary>Tags of one delivery to a handler: the process operation, event type, consumer group and outcome.</summary>
    public TagList ProcessTags(EventEnvelope envelope, string consumerGroup, Exception? failure)
    {
        TagList tags = DeliveryTags(envelope, consumerGroup);
        tags.Add(OperationNameTag, "process");
        tags.Add(OperationTypeTag, "process");
        tags.Add(OutcomeTag, failure is null ? "handled" : "failed");
        if (failure is not null)
        {
            tags.Add(ErrorTypeTag, failure.GetType().FullName);
        }

        return tags;
    }

    /// <summary>Tags of what happened to an event at one subscription (failed, retried, expired, dead-lettered, dropped).</summary>
    public TagList DeliveryTags(EventEnvelope envelope, string consumerGroup) => new()
    {
        { SystemTag, System },
        { DestinationTag, _eventTypes.For(envelope.Type) },
        { SubscriberTag, consumerGroup },
    };

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
            yield return new Measurement<long>(read(subscription), Subscriber(subscription.ConsumerGroup));
        }
    }

    private static IEnumerable<Measurement<double>> PerSubscriptionLag(ChannelEventBus bus)
    {
        DateTimeOffset now = bus.TimeProvider.GetUtcNow();
        foreach (Subscription subscription in bus.SubscriptionSnapshot)
        {
            yield return new Measurement<double>(subscription.Lag(now).TotalSeconds, Subscriber(subscription.ConsumerGroup));
        }
    }
}
