using System.Diagnostics;
using EventBus.Tests.Support;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventBus.Tests.Diagnostics;

/// <summary>
/// Spans, links, baggage and histogram buckets as the OpenTelemetry SDK exports them, checked against the messaging
/// semantic conventions.
/// </summary>
[Collection(nameof(GlobalListeners))]
public sealed class MessagingConventionsTests
{
    private static readonly ActivitySource Caller = new("EventBus.Tests.Conventions");

    [Fact]
    public async Task SendAndProcessSpans_CarryTheConventionsNamesAndAttributes_AndProcessLinksToTheCreationContext()
    {
        List<Activity> spans = [];
        using TracerProvider tracing = Tracing(spans);
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe(EventFilter.Pattern("order.placed"), (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { SubscriberId = "billing" });
        EventEnvelope published = new EventBuilder("order.placed").WithCorrelation("conv-1").Build();

        await bus.PublishAndWaitAsync(published).Within();
        tracing.ForceFlush();

        Activity send = spans.Single(s => s.DisplayName == "send order.placed");
        Activity process = spans.Single(s => s.DisplayName == "process order.placed");
        send.Kind.Should().Be(ActivityKind.Producer);
        send.TagObjects.Should().Contain(
        [
            new("messaging.system", "eventbus"),
            new("messaging.operation.name", "send"),
            new("messaging.operation.type", "send"),
            new("messaging.destination.name", "order.placed"),
            new("messaging.message.id", published.Id.ToString()),
            new("messaging.message.conversation_id", "conv-1"),
        ]);
        process.Kind.Should().Be(ActivityKind.Consumer);
        process.TagObjects.Should().Contain(
        [
            new("messaging.system", "eventbus"),
            new("messaging.operation.name", "process"),
            new("messaging.operation.type", "process"),
            new("messaging.destination.name", "order.placed"),
            new("messaging.message.id", published.Id.ToString()),
            new("messaging.consumer.group.name", "billing"),
        ]);
        process.ParentSpanId.Should().Be(send.SpanId);
        process.Links.Should().ContainSingle().Which.Context.Should().Match<ActivityContext>(c => c.TraceId == send.TraceId && c.SpanId == send.SpanId);
    }

    [Fact]
    public async Task BaggageOfThePublisher_ReachesTheHandlersActivity()
    {
        List<Activity> spans = [];
        using TracerProvider tracing = Tracing(spans);
        await using IEventBus bus = await Buses.StartedAsync();
        string? tenant = null;
        EventEnvelope? seen = null;
        bus.Subscribe("baggage.event", e =>
        {
            seen = e;
            tenant = Activity.Current?.GetBaggageItem("tenant");
        });

        using (Activity request = Caller.StartActivity("request")!)
        {
            request.AddBaggage("tenant", "acme");
            await bus.PublishAndWaitAsync(Buses.Event("baggage.event")).Within();
        }

        tenant.Should().Be("acme");
        seen!.Metadata.Should().ContainKey("baggage").WhoseValue.Should().Contain("tenant").And.Contain("acme");
    }

    [Fact]
    public async Task AnEventThatArrivesWithATraceContext_IsSentAndHandledInThatTrace()
    {
        // What a transport hands the bus: an event created in another process, with that process's context, and no
        // activity of its own around the call.
        List<Activity> spans = [];
        using TracerProvider tracing = Tracing(spans);
        await using IEventBus bus = await Buses.StartedAsync();
        string? tenant = null;
        bus.Subscribe("remote.event", _ => tenant = Activity.Current?.GetBaggageItem("tenant"));
        ActivityTraceId remoteTrace = ActivityTraceId.CreateRandom();
        ActivitySpanId remoteSpan = ActivitySpanId.CreateRandom();
        EventEnvelope received = new EventBuilder("remote.event").WithMetadata("traceparent", $"00-{remoteTrace}-{remoteSpan}-01").WithMetadata("baggage", "tenant=acme").Build();

        Activity.Current.Should().BeNull();
        await bus.PublishAndWaitAsync(received).Within();
        tracing.ForceFlush();

        Activity send = spans.Single(s => s.DisplayName == "send remote.event");
        Activity process = spans.Single(s => s.DisplayName == "process remote.event");
        send.TraceId.Should().Be(remoteTrace);
        send.ParentSpanId.Should().Be(remoteSpan);
        process.TraceId.Should().Be(remoteTrace);
        process.ParentSpanId.Should().Be(send.SpanId);
        tenant.Should().Be("acme", "the baggage the event came with travels on with its trace");
    }

    [Fact]
    public async Task TheCurrentPropagator_DecidesHowContextIsWrittenAndRead()
    {
        List<Activity> spans = [];
        using TracerProvider tracing = Tracing(spans);
        DistributedContextPropagator original = DistributedContextPropagator.Current;
        DistributedContextPropagator.Current = new SingleFieldPropagator();
        try
        {
            await using IEventBus bus = await Buses.StartedAsync();
            EventEnvelope? seen = null;
            bus.Subscribe("custom.event", e => seen = e);

            await bus.PublishAndWaitAsync(Buses.Event("custom.event")).Within();
            tracing.ForceFlush();

            Activity send = spans.Single(s => s.DisplayName == "send custom.event");
            Activity process = spans.Single(s => s.DisplayName == "process custom.event");
            seen!.Metadata.Should().ContainKey(SingleFieldPropagator.Field).And.NotContainKey("traceparent");
            process.ParentSpanId.Should().Be(send.SpanId, "the context was read back by the same propagator");
        }
        finally
        {
            DistributedContextPropagator.Current = original;
        }
    }

    [Fact]
    public async Task TheDurationHistogram_AdvisesTheConventionsBuckets()
    {
        List<Metric> metrics = [];
        using MeterProvider metering = InMemoryTelemetry.Metering(metrics);
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe("timed.event", _ => { });

        await bus.PublishAndWaitAsync(Buses.Event("timed.event")).Within();
        metering.ForceFlush();

        Metric duration = metrics.First(m => m.Name == EventBusDiagnostics.ProcessDurationInstrument);
        List<double> bounds = [];
        foreach (MetricPoint point in duration.GetMetricPoints())
        {
            foreach (HistogramBucket bucket in point.GetHistogramBuckets())
            {
                bounds.Add(bucket.ExplicitBound);
            }

            break;
        }

        bounds.Should().Equal(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, double.PositiveInfinity);
    }

    private static TracerProvider Tracing(List<Activity> spans) => InMemoryTelemetry.Tracing(spans, Caller.Name);

    /// <summary>A propagator that writes the whole context into one field of its own, as a vendor's might.</summary>
    private sealed class SingleFieldPropagator : DistributedContextPropagator
    {
        public const string Field = "x-vendor-trace";

        public override IReadOnlyCollection<string> Fields { get; } = [Field];

        public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
        {
            if (activity?.Id is { } id)
            {
                setter?.Invoke(carrier, Field, id);
            }
        }

        public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
        {
            traceState = null;
            traceId = null;
            getter?.Invoke(carrier, Field, out traceId, out _);
        }

        public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
    }
}
