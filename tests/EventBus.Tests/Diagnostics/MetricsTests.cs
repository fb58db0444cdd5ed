using System.Diagnostics.Metrics;
using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;

namespace EventBus.Tests.Diagnostics;

public sealed class MetricsTests
{
    private readonly WatchedTime _time = new();

    [Fact]
    public async Task Instruments_CountEveryOutcome_WithTheSubscriberTag()
    {
        await using IEventBus bus = await Buses.StartedAsync(time: _time);
        Meter meter = ((ChannelEventBus)bus).Metrics.Meter;
        using MetricCollector<long> published = new(meter, EventBusDiagnostics.PublishedInstrument);
        using MetricCollector<long> consumed = new(meter, EventBusDiagnostics.ConsumedInstrument);
        using MetricCollector<double> duration = new(meter, EventBusDiagnostics.ProcessDurationInstrument);
        using MetricCollector<long> failed = new(meter, EventBusDiagnostics.FailedInstrument);
        using MetricCollector<long> retried = new(meter, EventBusDiagnostics.RetriedInstrument);
        using MetricCollector<long> deadLettered = new(meter, EventBusDiagnostics.DeadLetteredInstrument);
        using MetricCollector<long> expired = new(meter, EventBusDiagnostics.ExpiredInstrument);
        using MetricCollector<long> dropped = new(meter, EventBusDiagnostics.DroppedInstrument);
        using MetricCollector<long> pending = new(meter, EventBusDiagnostics.SubscriptionPendingInstrument);
        using MetricCollector<long> deadLetterCount = new(meter, EventBusDiagnostics.DeadLetterCountInstrument);
        using MetricCollector<long> inFlight = new(meter, EventBusDiagnostics.InFlightInstrument);
        bus.Subscribe(EventFilter.Type("ok.work"), (_, _) =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { SubscriberId = "worker" });
        bus.Subscribe(EventFilter.Type("bad.work"), (_, _) => throw new InvalidOperationException("down"),
            new SubscriptionOptions { SubscriberId = "broken", Retry = RetryPolicy.Fixed(2, TimeSpan.Zero) });
        ISubscription paused = bus.Subscribe(EventFilter.Type("drop.work"), (_, _) => ValueTask.CompletedTask,
            new SubscriptionOptions { SubscriberId = "paused", BufferCapacity = 1 });
        paused.Pause();

        await bus.PublishAndWaitAsync(Buses.Event("ok.work", time: _time)).Within();
        await bus.PublishAndWaitAsync(Buses.Event("bad.work", time: _time)).Within();
        await bus.PublishAndWaitAsync(new EventBuilder("ok.work").WithExpiry(_time.GetUtcNow()).Build(_time)).Within();
        // One ordering key, so the first is routed (and buffered) before the second (dropped); keyless events may race.
        await bus.PublishAsync(Buses.Event("drop.work", key: "drops", time: _time));
        await bus.PublishAndWaitAsync(Buses.Event("drop.work", key: "drops", time: _time)).Within();

        published.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(5);
        consumed.GetMeasurementSnapshot().Select(m => (m.Tags["messaging.consumer.group.name"], m.Tags["eventbus.outcome"]))
            .Should().Equal([("worker", "handled"), ("broken", "failed"), ("broken", "failed")], "consumed means delivered to the handler, one per attempt, failed or not");
        duration.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags["messaging.consumer.group.name"], m.Tags.GetValueOrDefault("error.type")))
            .Should().Equal((0.25, "worker", null), (0d, "broken", typeof(InvalidOperationException).FullName), (0d, "broken", typeof(InvalidOperationException).FullName));
        failed.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(1);
        retried.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(1);
        deadLettered.GetMeasurementSnapshot().Select(m => m.Tags["eventbus.dead_letter.reason"]).Should().Equal("Failed", "Expired");
        expired.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(1);
        dropped.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["eventbus.drop.site"].Should().Be("subscription");

        pending.RecordObservableInstruments();
        deadLetterCount.RecordObservableInstruments();
        inFlight.RecordObservableInstruments();
        pending.GetMeasurementSnapshot().Single(m => Equals(m.Tags["messaging.consumer.group.name"], "paused")).Value.Should().Be(1);
        deadLetterCount.LastMeasurement!.Value.Should().Be(2);
        inFlight.LastMeasurement!.Value.Should().Be(1, "the paused subscription still holds one event");
    }

    [Fact]
    public async Task Statistics_ReportLagAndHandlerPercentiles_PerSubscription()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1, time: _time);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal started = new(1);
        int calls = 0;
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            if (Interlocked.Increment(ref calls) <= 100)
            {
                _time.Advance(TimeSpan.FromMilliseconds(10));
                return;
            }

            started.Hit();
            await release.Task;
        }, new SubscriptionOptions { SubscriberId = "timed" });

        for (int i = 0; i < 100; i++)
        {
            await bus.PublishAndWaitAsync(Buses.Event(time: _time)).Within();
        }

        await bus.PublishAsync(Buses.Event(time: _time));
        await started.WaitAsync();
        _time.Advance(TimeSpan.FromSeconds(40));
        EventBusStatistics statistics = bus.GetStatistics();
        release.SetResult();
        await bus.WaitForIdleAsync().Within();

        SubscriptionStatistics timed = statistics.SubscriptionDetails.Should().ContainSingle().Subject;
        timed.SubscriberId.Should().Be("timed");
        timed.Lag.Should().Be(TimeSpan.FromSeconds(40));
        timed.HandlerP50.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(10)).And.BeLessThan(TimeSpan.FromMilliseconds(12));
        timed.HandlerP99.Should().Be(timed.HandlerP50);
        statistics.WorkersAlive.Should().Be(1);
        statistics.QueueDepthByPriority.Keys.Should().BeEquivalentTo(Enum.GetValues<EventPriority>());
        bus.GetStatistics().SubscriptionDetails[0].Lag.Should().Be(TimeSpan.Zero, "the subscription is idle again");
    }

    [Fact]
    public async Task QueueDepthGauge_CountsTheBacklog_ByPriorityOnceSorted()
    {
        // Not started: accepted events wait unsorted in the workers' channels.
        await using IEventBus bus = Buses.Create(o => o.WorkerCount = 1);
        using MetricCollector<long> depth = new(((ChannelEventBus)bus).Metrics.Meter, EventBusDiagnostics.QueueDepthInstrument);
        await bus.PublishAsync(Buses.Event(priority: EventPriority.High));
        await bus.PublishAsync(Buses.Event());

        depth.RecordObservableInstruments();

        depth.GetMeasurementSnapshot().Single(m => Equals(m.Tags["eventbus.priority"], "unsorted")).Value.Should().Be(2);
        depth.GetMeasurementSnapshot().Where(m => !Equals(m.Tags["eventbus.priority"], "unsorted")).Sum(m => m.Value).Should().Be(0);
    }

    [Fact]
    public async Task WithAHost_TheBusUsesTheHostsMeterFactory()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMetrics();
        builder.Services.AddEventBus(o => o.WorkerCount = 1);
        using IHost host = builder.Build();
        IMeterFactory meters = host.Services.GetRequiredService<IMeterFactory>();
        using MetricCollector<long> published = new(meters, EventBusDiagnostics.MeterName, EventBusDiagnostics.PublishedInstrument);
        await host.StartAsync();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();

        await bus.PublishAndWaitAsync(Buses.Event()).Within();

        published.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(1);
        await host.StopAsync();
    }
}
