namespace EventBus.Tests.Catalog;

/// <summary>How a payload type names its events: the attribute first, else the naming convention; and the catalogue refusing two types for one name.</summary>
public sealed class PayloadEventTypeTests
{
    [Theory]
    [InlineData(typeof(OrderPlaced), "order.placed")]
    [InlineData(typeof(HTTPRequestFailedEvent), "http.request.failed")]
    [InlineData(typeof(Order2Shipped), "order2.shipped")]
    [InlineData(typeof(Happening), "happening")]
    [InlineData(typeof(CreatedEvent), "created")]
    [InlineData(typeof(Stock_Reserved), "stock.reserved")]
    [InlineData(typeof(Outer.Inner), "inner")]
    [InlineData(typeof(ABC), "abc")]
    public void WithoutTheAttribute_TheTypeNameGivesTheEventType(Type payloadType, string expected)
    {
        EventTypeDescriptor descriptor = EventTypeDescriptor.For(payloadType);

        descriptor.Type.Should().Be(expected);
        descriptor.PayloadType.Should().Be(payloadType);
        descriptor.Category.Should().Be(expected.Split('.')[0]);
        descriptor.Description.Should().Be(payloadType.Name);
        (descriptor.Kind, descriptor.Priority, descriptor.SchemaVersion).Should().Be((EventKind.Notification, EventPriority.Normal, 1));
    }

    [Fact]
    public void TheAttribute_NamesTheTypeAndSetsKindPriorityVersionCategoryAndDescription()
    {
        EventTypeDescriptor descriptor = EventTypeDescriptor.For<ShipOrder>();

        descriptor.Type.Should().Be("shipping.order.requested");
        (descriptor.Kind, descriptor.Priority, descriptor.SchemaVersion).Should().Be((EventKind.Command, EventPriority.High, 3));
        (descriptor.Category, descriptor.Description).Should().Be(("logistics", "Asks for an order to ship"));
    }

    [Theory]
    [InlineData(typeof(BadName), "bad..name", "empty segment")]
    [InlineData(typeof(BadVersion), "BadVersion", "SchemaVersion 0")]
    [InlineData(typeof(BadKind), "BadKind", "Kind 42")]
    [InlineData(typeof(Generic<int>), "Generic`1", "generic")]
    [InlineData(typeof(Café), "Café", "'é'")]
    public void ATypeThatCanNotBeNamed_IsRefused_NamingTheTypeAndTheFix(Type payloadType, string shown, string problem)
    {
        FluentActions.Invoking(() => EventTypeDescriptor.For(payloadType))
            .Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain(shown).And.Contain(problem).And.Contain("EventType");
    }

    [Fact]
    public void RegisteringAPayloadType_IsIdempotent_AndFindsItByName()
    {
        EventCatalog catalog = new(includeStandardEvents: false);

#pragma warning disable CA2263 // Both overloads are under test.
        catalog.Register<OrderPlaced>().Register(typeof(OrderPlaced)).Register<ShipOrder>();
#pragma warning restore CA2263

        catalog.Count.Should().Be(2);
        catalog.TryGet("order.placed", out EventTypeDescriptor? placed).Should().BeTrue();
        placed!.PayloadType.Should().Be<OrderPlaced>();
    }

    [Fact]
    public void TwoPayloadTypesClaimingOneName_FailWithBothNames()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register<OrderPlaced>();

        FluentActions.Invoking(() => catalog.Register<Legacy.OrderPlaced>())
            .Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("'order.placed'").And.Contain(typeof(OrderPlaced).FullName).And.Contain(typeof(Legacy.OrderPlaced).FullName).And.Contain("[EventType");
    }

    [Fact]
    public void APayloadTypeClaimingANameRegisteredWithoutOne_Fails()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register("order.placed", "Placed by hand", "orders");

        FluentActions.Invoking(() => catalog.Register<OrderPlaced>())
            .Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Placed by hand").And.Contain("without a payload type");
    }

    public sealed record OrderPlaced(int OrderId);

    public sealed record HTTPRequestFailedEvent(string Url);

    public sealed record Order2Shipped;

    public sealed record Happening;

    public sealed record CreatedEvent;

#pragma warning disable CA1707 // The underscores are the case under test.
    public sealed record Stock_Reserved;
#pragma warning restore CA1707

    public sealed record ABC;

    public sealed record Café;

    public sealed record Generic<T>(T Value);

    [EventType("shipping.order.requested", Kind = EventKind.Command, Priority = EventPriority.High, SchemaVersion = 3, Category = "logistics", Description = "Asks for an order to ship")]
    public sealed record ShipOrder(int OrderId);

    [EventType("bad..name")]
    public sealed record BadName;

    [EventType("bad.version", SchemaVersion = 0)]
    public sealed record BadVersion;

    [EventType("bad.kind", Kind = (EventKind)42)]
    public sealed record BadKind;

    public static class Outer
    {
        public sealed record Inner;
    }
}
