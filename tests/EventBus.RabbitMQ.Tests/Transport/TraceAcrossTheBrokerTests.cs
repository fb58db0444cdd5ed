using System.Collections.Concurrent;
using System.Diagnostics;
using EventBus.RabbitMQ.Tests.Broker;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>A handler in another application runs in the trace of the request that published the event, with its baggage.</summary>
[Collection(SharedBroker.Name)]
public sealed class TraceAcrossTheBrokerTests(RabbitMqNode node)
{
    private const string CallerName = "EventBus.RabbitMQ.Tests.Caller";
    private static readonly ActivitySource Caller = new(CallerName);
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task TheHandlersActivity_ContinuesThePublishersTrace_AndCarriesItsBaggage()
    {
        ActivityTraceId trace = ActivityTraceId.CreateRandom();
        ConcurrentQueue<Activity> stopped = [];

        // Only this test's trace is sampled: other tests on the same broker run alongside and keep their events untraced.
        using ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name is EventBusDiagnostics.ActivitySourceName or CallerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.TraceId == trace || options.Parent.TraceId == trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        TaskCompletionSource<(ActivityTraceId Trace, string? Tenant, string Name)> handled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "traced-" + _exchange; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", _ =>
        {
            Activity current = Activity.Current!;
            handled.TrySetResult((current.TraceId, current.GetBaggageItem("tenant"), current.DisplayName));
        }));
        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); });

        using (Activity request = Caller.StartActivity(ActivityKind.Server, new ActivityContext(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded), name: "request")!)
        {
            request.AddBaggage("tenant", "acme");
            await producer.Bus.PublishAsync(new EventBuilder("order.paid").WithWorkflow("order-7").Build());
        }

        (ActivityTraceId handlerTrace, string? tenant, string name) = await handled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        handlerTrace.Should().Be(trace);
        tenant.Should().Be("acme");
        name.Should().Be("process order.paid");
        stopped.Where(a => a.DisplayName == "send order.paid").Should().HaveCount(2, "the producer sent it to its bus, and the consumer to its own").And.OnlyContain(a => a.TraceId == trace);
    }
}
