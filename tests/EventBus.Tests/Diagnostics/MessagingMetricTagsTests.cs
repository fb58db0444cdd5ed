using System.Diagnostics.Metrics;
using EventBus.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EventBus.Tests.Diagnostics;

/// <summary>
/// Metrics carry the OpenTelemetry messaging tags: the operation, the event type as the destination (bounded, so a
/// flood of types can not create unbounded series), the consumer group and the outcome.
/// </summary>
public sealed class MessagingMetricTagsTests
{
    [Fact]
    public async Task SentMessages_AreTaggedWithTheOperationAndTheEventType()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        using MetricCollector<long> sent = new(Meter(bus), EventBusDiagnostics.PublishedInstrument);

        await bus.PublishAndWaitAsync(Buses.Event("workflow.started")).Within();

        IReadOnlyDictionary<string, object?> tags = sent.GetMeasurementSnapshot().Should().ContainSingle().Subject.Tags;
        tags["messaging.system"].Should().Be("eventbus");
        tags["messaging.operation.name"].Should().Be("send");
        tags["messaging.operation.type"].Should().Be("send");
        tags["messaging.destination.name"].Should().Be("workflow.started");
    }

    [Fact]
    public async Task ConsumedMessages_CountEveryDeliveryToTheHandler_WithOutcomeAndErrorType()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        using MetricCollector<long> consumed = new(Meter(bus), EventBusDiagnostics.ConsumedInstrument);
        bus.Subscribe("order.*", e => { if (e.Type == "order.bad") { throw new FormatException("bad order"); } }, new SubscriptionOptions { SubscriberId = "orders" });

        await bus.PublishAndWaitAsync(Buses.Event("order.good")).Within();
        await bus.PublishAndWaitAsync(Buses.Event("order.bad")).Within();

        consumed.GetMeasurementSnapshot().Select(m => (
                m.Tags["messaging.operation.name"],
                m.Tags["messaging.destination.name"],
                m.Tags["messaging.consumer.group.name"],
                m.Tags["eventbus.outcome"],
                m.Tags.GetValueOrDefault("error.type")))
            .Should().Equal(
                ("process", "order.good", "orders", "handled", null),
                ("process", "order.bad", "orders", "failed", typeof(FormatException).FullName));
    }

    [Fact]
    public async Task ALambdaSubscription_WithoutASubscriberId_HasAStableConsumerGroup()
    {
        List<object?> groups = [];
        for (int run = 0; run < 2; run++)
        {
            await using IEventBus bus = await Buses.StartedAsync();
            using MetricCollector<long> consumed = new(Meter(bus), EventBusDiagnostics.ConsumedInstrument);
            bus.Subscribe("order.*", _ => { });

            await bus.PublishAndWaitAsync(Buses.Event("order.placed")).Within();

            groups.Add(consumed.GetMeasurementSnapshot().Should().ContainSingle().Subject.Tags["messaging.consumer.group.name"]);
        }

        groups.Should().Equal("type matches 'order.*'", "type matches 'order.*'");
    }

    [Fact]
    public async Task EventTypesOutsideTheCatalogue_FoldIntoOther_BeyondTheLimit_WhileCataloguedTypesKeepTheirNames()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.MetricEventTypeLimit = 2);
        using MetricCollector<long> sent = new(Meter(bus), EventBusDiagnostics.PublishedInstrument);

        foreach (string type in (string[])["custom.one", "custom.two", "custom.three", "custom.one", "custom.four", "workflow.started"])
        {
            await bus.PublishAndWaitAsync(Buses.Event(type)).Within();
        }

        sent.GetMeasurementSnapshot().Select(m => m.Tags["messaging.destination.name"])
            .Should().Equal("custom.one", "custom.two", "_other", "custom.one", "_other", "workflow.started");
    }

    [Fact]
    public async Task FailuresRetriesAndDeadLetters_CarryTheEventTypeAndConsumerGroup()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Meter meter = Meter(bus);
        using MetricCollector<long> failed = new(meter, EventBusDiagnostics.FailedInstrument);
        using MetricCollector<long> retried = new(meter, EventBusDiagnostics.RetriedInstrument);
        using MetricCollector<long> deadLettered = new(meter, EventBusDiagnostics.DeadLetteredInstrument);
        bus.Subscribe("pay.*", _ => throw new InvalidOperationException("down"), new SubscriptionOptions { SubscriberId = "payments", Retry = RetryPolicy.Fixed(2, TimeSpan.Zero) });

        await bus.PublishAndWaitAsync(Buses.Event("pay.charge")).Within();

        foreach (CollectedMeasurement<long> measurement in failed.GetMeasurementSnapshot().Concat(retried.GetMeasurementSnapshot()).Concat(deadLettered.GetMeasurementSnapshot()))
        {
            measurement.Tags["messaging.destination.name"].Should().Be("pay.charge");
            measurement.Tags["messaging.consumer.group.name"].Should().Be("payments");
        }

        failed.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(1);
        retried.GetMeasurementSnapshot().EvaluateAsCounter().Should().Be(1);
        deadLettered.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["eventbus.dead_letter.reason"].Should().Be("Failed");
    }

    [Fact]
    public void MetricEventTypeLimit_BelowZero_IsRefused()
    {
        FluentActions.Invoking(() => EventBusFactory.Create(o => o.MetricEventTypeLimit = -1))
            .Should().Throw<ArgumentException>().WithMessage("*MetricEventTypeLimit is -1*");
    }

    private static Meter Meter(IEventBus bus) => ((ChannelEventBus)bus).Metrics.Meter;
}
