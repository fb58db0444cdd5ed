namespace EventBus;

/// <summary>
/// The names under which the bus reports telemetry, for wiring up OpenTelemetry or any other
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> / <see cref="System.Diagnostics.ActivityListener"/>:
/// <c>.AddMeter(EventBusDiagnostics.MeterName)</c> and <c>.AddSource(EventBusDiagnostics.ActivitySourceName)</c>.
/// Instrument names follow the OpenTelemetry messaging semantic conventions where one fits.
/// </summary>
public static class EventBusDiagnostics
{
    /// <summary>The name of the bus's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "EventBus";

    /// <summary>The name of the bus's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "EventBus";

    /// <summary>Counter: events accepted and routed (OpenTelemetry <c>messaging.client.sent.messages</c>).</summary>
    public const string PublishedInstrument = "messaging.client.sent.messages";

    /// <summary>Counter: deliveries whose handler completed, tagged with the subscriber (<c>messaging.client.consumed.messages</c>).</summary>
    public const string ConsumedInstrument = "messaging.client.consumed.messages";

    /// <summary>Histogram: handler duration per attempt, in seconds (<c>messaging.process.duration</c>), tagged with the subscriber and, on failure, <c>error.type</c>.</summary>
    public const string ProcessDurationInstrument = "messaging.process.duration";

    /// <summary>Counter: deliveries that failed on their last attempt.</summary>
    public const string FailedInstrument = "eventbus.delivery.failed";

    /// <summary>Counter: retry attempts.</summary>
    public const string RetriedInstrument = "eventbus.delivery.retried";

    /// <summary>Counter: events sent to the dead-letter queue, tagged with <c>eventbus.dead_letter.reason</c>.</summary>
    public const string DeadLetteredInstrument = "eventbus.dead_lettered";

    /// <summary>Counter: deliveries not made because the event had expired.</summary>
    public const string ExpiredInstrument = "eventbus.expired";

    /// <summary>Counter: events dropped, tagged <c>eventbus.drop.site</c> = <c>bus</c> or <c>subscription</c>.</summary>
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
