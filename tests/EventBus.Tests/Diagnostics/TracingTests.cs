using System.Collections.Concurrent;
using System.Diagnostics;
using EventBus.Tests.Support;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventBus.Tests.Diagnostics;

[Collection(nameof(GlobalListeners))]
public sealed class TracingTests
{
    private static readonly ActivitySource Caller = new("EventBus.Tests.Caller");

    [Fact]
    public async Task PublishingStoresTheTraceContext_AndHandlingContinuesIt_WithAmbientMetadata()
    {
        ConcurrentQueue<Activity> stopped = [];
        using ActivityListener listener = Listen(stopped);
        await using IEventBus bus = await Buses.StartedAsync();
        EventEnvelope? seen = null;
        Activity? handling = null;
        bus.Subscribe(EventFilter.Pattern("trace.me"), (e, _) =>
        {
            seen = e;
            handling = Activity.Current;
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { SubscriberId = "tracer" });
        EventEnvelope published = Buses.Event("trace.me");

        using (Activity request = Caller.StartActivity("request")!)
        using (EventContext.Begin(userId: "u-1", requestId: "r-9"))
        {
            await bus.PublishAndWaitAsync(published).Within();
        }

        Activity publish = stopped.Single(a => a.DisplayName == "send trace.me");
        Activity process = stopped.Single(a => a.DisplayName == "process trace.me");
        Activity requestActivity = stopped.Single(a => a.DisplayName == "request");
        publish.Kind.Should().Be(ActivityKind.Producer);
        publish.ParentSpanId.Should().Be(requestActivity.SpanId);
        process.Kind.Should().Be(ActivityKind.Consumer);
        process.ParentSpanId.Should().Be(publish.SpanId, "handling continues the publisher's trace");
        process.TraceId.Should().Be(requestActivity.TraceId);
        process.GetTagItem("messaging.destination.name").Should().Be("trace.me");
        process.GetTagItem("messaging.consumer.group.name").Should().Be("tracer");
        process.GetTagItem("messaging.message.id").Should().Be(published.Id.ToString());
        handling.Should().BeSameAs(process);
        seen!.Id.Should().Be(published.Id);
        seen.Metadata[BusTracing.TraceParentKey].Should().Be(publish.Id);
        seen.Metadata[EventContext.TraceIdKey].Should().Be(requestActivity.TraceId.ToHexString());
        seen.Metadata[EventContext.UserIdKey].Should().Be("u-1");
        seen.Metadata[EventContext.RequestIdKey].Should().Be("r-9");
    }

    [Fact]
    public async Task AFailingHandler_MarksItsActivityAsAnError()
    {
        ConcurrentQueue<Activity> stopped = [];
        using ActivityListener listener = Listen(stopped);
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe("trace.fail", _ => throw new InvalidOperationException("broken"));

        await bus.PublishAndWaitAsync(Buses.Event("trace.fail")).Within();

        Activity process = stopped.Single(a => a.DisplayName == "process trace.fail");
        process.Status.Should().Be(ActivityStatusCode.Error);
        process.StatusDescription.Should().Be("broken");
        process.GetTagItem("error.type").Should().Be(typeof(InvalidOperationException).FullName);
    }

    [Fact]
    public async Task WithNoListenerAndNoScope_TheEnvelopeTravelsUntouched()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        EventEnvelope? seen = null;
        bus.Subscribe("plain.event", e => seen = e);
        EventEnvelope published = Buses.Event("plain.event");

        await bus.PublishAndWaitAsync(published).Within();

        seen.Should().BeSameAs(published);
    }

    [Fact]
    public async Task ScopesNest_AndAnEventsOwnMetadataWins()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<EventEnvelope> seen = [];
        bus.Subscribe("scoped.event", e => seen.Enqueue(e));

        using (EventContext.Begin(userId: "outer", requestId: "r-1"))
        {
            using (EventContext.Begin([new KeyValuePair<string, string>("user_id", "inner"), new("tenant", "t-7")]))
            {
                await bus.PublishAndWaitAsync(new EventBuilder("scoped.event").WithMetadata("tenant", "own").Build()).Within();
                await bus.PublishBatchAsync([Buses.Event("scoped.event")]);
            }

            await bus.PublishAndWaitAsync(Buses.Event("scoped.event")).Within();
        }

        await bus.WaitForIdleAsync().Within();
        EventEnvelope[] events = [.. seen];
        events[0].Metadata.Should().Contain(new Dictionary<string, string> { ["user_id"] = "inner", ["request_id"] = "r-1", ["tenant"] = "own" });
        events.Skip(1).Select(e => e.Metadata["user_id"]).Should().BeEquivalentTo("inner", "outer");
        EventContext.CurrentValues.Should().BeNull();
    }

    [Fact]
    public async Task TheOpenTelemetrySdk_ExportsOurSpansAndMetrics()
    {
        List<Activity> spans = [];
        List<Metric> metrics = [];
        using TracerProvider tracing = InMemoryTelemetry.Tracing(spans);
        using MeterProvider metering = InMemoryTelemetry.Metering(metrics);
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe("otel.event", _ => { });

        await bus.PublishAndWaitAsync(Buses.Event("otel.event")).Within();
        tracing.ForceFlush();
        metering.ForceFlush();

        Activity publish = spans.Single(s => s.DisplayName == "send otel.event");
        Activity process = spans.Single(s => s.DisplayName == "process otel.event");
        process.TraceId.Should().Be(publish.TraceId);
        process.ParentSpanId.Should().Be(publish.SpanId);
        metrics.Select(m => m.Name).Should().Contain([EventBusDiagnostics.PublishedInstrument, EventBusDiagnostics.ConsumedInstrument, EventBusDiagnostics.ProcessDurationInstrument]);
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> stopped)
    {
        ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name is EventBusDiagnostics.ActivitySourceName or "EventBus.Tests.Caller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
