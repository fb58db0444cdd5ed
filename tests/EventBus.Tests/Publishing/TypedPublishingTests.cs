using EventBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Publishing;

/// <summary>Publishing plain objects: the envelope is built from the payload's type, and the caller can set any other field.</summary>
public sealed class TypedPublishingTests
{
    [Fact]
    public async Task AnObject_IsPublishedUnderItsTypesEventType_WithTheAttributesKindPriorityAndVersion()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        List<EventEnvelope> seen = [];
        bus.Subscribe("#", e => seen.Add(e));

        await bus.PublishAndWaitAsync(new OrderPlaced(42)).Within();
        await bus.PublishAndWaitAsync(new ShipOrder(42)).Within();

        seen.Select(e => (e.Type, e.Kind, e.Priority, e.SchemaVersion)).Should().Equal(
            ("order.placed", EventKind.Notification, EventPriority.Normal, 1),
            ("shipping.requested", EventKind.Command, EventPriority.High, 2));
        seen[0].GetData<OrderPlaced>().Should().Be(new OrderPlaced(42));
    }

    [Fact]
    public async Task Configure_SetsTheOtherFields_AndOverridesTheTypes()
    {
        FakeTimeProvider time = Buses.FakeTime();
        await using IEventBus bus = await Buses.StartedAsync(time: time);
        EventEnvelope? seen = null;
        bus.Subscribe("#", e => seen = e);

        await bus.PublishAndWaitAsync(new ShipOrder(7), e => e.WithWorkflow("order-7", "shipping").WithCorrelation("c-7").WithPriority(EventPriority.Low).WithMetadata("tenant", "t1").WithTarget("warehouse")).Within();

        seen!.WorkflowId.Should().Be("order-7");
        (seen.Phase, seen.CorrelationId, seen.Priority, seen.Target, seen.Metadata["tenant"]).Should().Be(("shipping", "c-7", EventPriority.Low, "warehouse", "t1"));
        seen.Timestamp.Should().Be(time.GetUtcNow(), "the publisher's clock stamps the event");
    }

    [Fact]
    public async Task AnObjectPublishedAsItsBaseType_IsNamedForWhatItIs()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        List<string> types = [];
        bus.Subscribe("#", e => types.Add(e.Type));
        IOrderEvent[] events = [new OrderPlaced(1), new OrderCancelled(1)];

        foreach (IOrderEvent orderEvent in events)
        {
            await bus.PublishAndWaitAsync(orderEvent).Within();
        }

        types.Should().Equal("order.placed", "order.cancelled");
    }

    [Fact]
    public async Task TryPublishAndBatches_BuildTheSameEvents()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        List<EventEnvelope> seen = [];
        Signal three = new(3);
        bus.Subscribe("order.#", e =>
        {
            lock (seen)
            {
                seen.Add(e);
            }

            three.Hit();
        });

        bus.TryPublish(new OrderPlaced(1), e => e.WithCorrelation("one")).Should().BeTrue();
        (await bus.PublishBatchAsync([new OrderPlaced(2), new OrderPlaced(3)], e => e.WithCorrelation("batch"))).Accepted.Should().Be(2);
        await three.Task.Within();

        seen.Select(e => (e.GetData<OrderPlaced>()!.OrderId, e.CorrelationId)).Should().BeEquivalentTo([(1, "one"), (2, "batch"), (3, "batch")]);
    }

    [Fact]
    public void AnEnvelopeOrNull_IsRefusedAsAPayload_WithTheFix()
    {
        IEventBus bus = Buses.Create();
        EventEnvelope envelope = Buses.Event();

        FluentActions.Invoking(() => bus.CreateEvent<object>(envelope)).Should().Throw<ArgumentException>().WithMessage("*PublishAsync(EventEnvelope)*");
        FluentActions.Invoking(() => bus.CreateEvent<object>(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ((IEventPublisher)null!).CreateEvent(new OrderPlaced(1))).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => bus.CreateEvent(new Tuple<int>(1))).Should().Throw<ArgumentException>().WithMessage("*generic*[EventType*");
    }

    public interface IOrderEvent;

    public sealed record OrderPlaced(int OrderId) : IOrderEvent;

    public sealed record OrderCancelled(int OrderId) : IOrderEvent;

    [EventType("shipping.requested", Kind = EventKind.Command, Priority = EventPriority.High, SchemaVersion = 2)]
    public sealed record ShipOrder(int OrderId);
}
