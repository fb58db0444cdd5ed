namespace EventBus;

/// <summary>
/// The names under which the bus reports telemetry, for wiring up OpenTelemetry or any other
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> / <see cref="System.Diagnostics.ActivityListener"/>:
/// <c>.AddMeter(EventBusDiagnostics.MeterName)</c> and <c>.AddSource(EventBusDiagnostics.ActivitySourceName)</c>.
/// Instrument names, span names (<c>send {type}</c>, <c>process {type}</c>) and attributes follow the OpenTelemetry
/// messaging semantic conventions where one fits; trace context and baggage travel in the event's metadata through
/// <see cref="System.Diagnostics.DistributedContextPropagator.Current"/>.
/// </summary>
public static class EventBusDiagnostics
{
    /// <summary>The name of the bus's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "EventBus";

    /// <summary>The name of the bus's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "EventBus";

    /// <summary>
    /// Counter: events accepted and routed (OpenTelemetry <c>messaging.client.sent.messages</c>), tagged
    /// <c>messaging.system</c> = <c>eventbus</c>, <c>messaging.operation.name</c> = <c>send</c>,
    /// <c>messaging.operation.type</c> = <c>send</c> and the event type as <c>messaging.destination.name</c> (bounded by
    /// <see cref="EventBusOptions.MetricEventTypeLimit"/>: other types read <c>_other</c>).
    /// </summary>
    public const string PublishedInstrument = "messaging.client.sent.messages";

    /// <summary>
    /// Counter: deliveries to a handler, one per attempt, whether it completed or failed
    /// (<c>messaging.client.consumed.messages</c>), tagged <c>messaging.operation.name</c> = <c>process</c>, the event type,
    /// the subscription as <c>messaging.consumer.group.name</c> (its subscriber id, or for a subscription without one its
    /// filter's description, stable across runs), <c>eventbus.outcome</c> = <c>handled</c> or <c>failed</c>, and on failure
    /// <c>error.type</c>.
    /// </summary>
    public const string ConsumedInstrument = "messaging.client.consumed.messages";

    /// <summary>
    /// Histogram: handler duration per attempt, in seconds (<c>messaging.process.duration</c>), with the tags of
    /// <see cref="ConsumedInstrument"/>; it advises the conventions' buckets (5 ms to 10 s).
    /// </summary>
    public const string ProcessDurationInstrument = "messaging.process.duration";

    /// <summary>Counter: deliveries that failed on their last attempt, tagged with the event type (<c>messaging.destination.name</c>) and the consumer group.</summary>
    public const string FailedInstrument = "eventbus.delivery.failed";

    /// <summary>Counter: retry attempts, tagged with the event type (<c>messaging.destination.name</c>) and the consumer group.</summary>
    public const string RetriedInstrument = "eventbus.delivery.retried";

    /// <summary>Counter: events sent to the dead-letter queue, tagged with the event type, the consumer group and <c>eventbus.dead_letter.reason</c>.</summary>
    public const string DeadLetteredInstrument = "eventbus.dead_lettered";

    /// <summary>Counter: deliveries not made because the event had expired, tagged with the event type (<c>messaging.destination.name</c>) and the consumer group.</summary>
    public const string ExpiredInstrument = "eventbus.expired";

    /// <summary>Counter: events dropped, tagged with the event type, <c>eventbus.drop.site</c> = <c>bus</c> or <c>subscription</c>, and for a subscription its consumer group.</summary>
    public const string DroppedInstrument = "eventbus.dropped";

    /// <summary>Observable gauge: events waiting to be routed, tagged with <c>eventbus.priority</c> for those a worker has sorted.</summary>
    public const string QueueDepthInstrument = "eventbus.queue.depth";

    /// <summary>Observable gauge: deliveries and events not yet finished (in flight).</summary>
    public const string InFlightInstrument = "eventbus.in_flight";

    /// <summary>Observable gauge: events waiting for or being handled by each subscription, tagged with the subscriber.</summary>
    public const string SubscriptionPendingInstrument = "eventbus.subscription.pending";

    /// <summary>Observable gauge: per subscription, the age in seconds of the oldest event it is handling or retrying.</summary>
    public const string SubscriptionLagInstrument = "eventbus.subscription.lag";

    /// <summary>Observable gauge: dead letters held.</summary>
    public const string DeadLetterCountInstrument = "eventbus.dead_letter.count";

    /// <summary>Observable counter: events handlers of wait-mode subscriptions published into a full bus, admitted over capacity so that routing can not deadlock.</summary>
    public const string AdmittedOverCapacityInstrument = "eventbus.admitted_over_capacity";

    /// <summary>Observable counter: dead-letter changes (saves, removals, the read at start) the store failed to take.</summary>
    public const string DeadLetterStoreFailedInstrument = "eventbus.dead_letter.store_failed";
}
