using System.Text.Json;
using EventBus.Tests.Support;

namespace EventBus.Tests.Catalog;

public sealed class EventCatalogTests
{
    private sealed record OrderPlaced(string OrderId, decimal Amount, string? Coupon);

    [Fact]
    public void TheStandardEvents_AreRegisteredOutOfTheBox()
    {
        EventCatalog catalog = new();

        catalog.InCategory("workflow").Select(d => d.Type).Should().BeEquivalentTo(
            "workflow.created", "workflow.started", "workflow.paused", "workflow.resumed", "workflow.completed", "workflow.failed", "workflow.cancelled");
        catalog.InCategory("phase").Should().HaveCount(5);
        catalog.InCategory("resource").Should().HaveCount(5);
        catalog.InCategory("error").Select(d => d.Type).Should().Contain(["error.recoverable", "error.critical", "error.resolved", "error.escalated", "error.reported"]);
        catalog.TryGet("phase.skipped", out EventTypeDescriptor? skipped).Should().BeTrue();
        skipped!.Description.Should().Be("Phase skipped due to conditions");
        new EventCatalog(includeStandardEvents: false).Count.Should().Be(0);
    }

    [Fact]
    public void RegisterOperations_AddsLifecycleStateAndMetricTypes()
    {
        EventCatalog catalog = new(includeStandardEvents: false);

        IReadOnlyList<EventTypeDescriptor> added = catalog.RegisterOperations("orchestrator", ["orchestration", "routing"]);

        added.Select(d => d.Type).Should().Equal(
            "orchestrator.orchestration.started",
            "orchestrator.orchestration.completed",
            "orchestrator.orchestration.failed",
            "orchestrator.routing.started",
            "orchestrator.routing.completed",
            "orchestrator.routing.failed",
            "orchestrator.state.changed",
            "orchestrator.metric.recorded");
        catalog.InCategory("operation_lifecycle").Should().HaveCount(6);
        catalog.InCategory("state_events").Should().ContainSingle().Which.PayloadType.Should().Be<StateChanged>();
        catalog.InCategory("metric_events").Should().ContainSingle().Which.PayloadType.Should().Be<MetricRecorded>();
    }

    [Fact]
    public void Register_RefusesADuplicate_ButRegisterOrReplaceOverwrites()
    {
        EventCatalog catalog = new();

        Action duplicate = () => catalog.Register("workflow.started", "again", "workflow");
        catalog.RegisterOrReplace(new EventTypeDescriptor("workflow.started", "Workflow began, with its plan", "workflow", typeof(string)));

        duplicate.Should().Throw<InvalidOperationException>().WithMessage("*'workflow.started'*registered already*RegisterOrReplace*");
        catalog.TryGet("workflow.started", out EventTypeDescriptor? replaced).Should().BeTrue();
        replaced!.PayloadType.Should().Be<string>();
    }

    [Fact]
    public void Version_MovesOnWithEveryAddedOrReplacedRegistration_AndOnlyThen()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        List<int> versions = [catalog.Version];

        catalog.Register<OrderPlaced>();
        versions.Add(catalog.Version);
        catalog.Register<OrderPlaced>();
        versions.Add(catalog.Version);
        catalog.Register("invoice.sent", "An invoice", "billing");
        versions.Add(catalog.Version);
        catalog.RegisterOrReplace(new EventTypeDescriptor("invoice.sent", "An invoice", "billing", typeof(string)));
        versions.Add(catalog.Version);
        catalog.RegisterOperations("orchestrator", ["routing"]);
        versions.Add(catalog.Version);
        FluentActions.Invoking(() => catalog.Register("invoice.sent", "again", "billing")).Should().Throw<InvalidOperationException>();
        versions.Add(catalog.Version);

        versions.Should().Equal(0, 1, 1, 2, 3, 8, 8);
        catalog.Count.Should().Be(7, "a replacement adds no type, yet the version moved");
    }

    [Fact]
    public void ToJson_DescribesEachPayload_InJsonSchema_RequiringWhatStrictValidationRequires()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register("order.placed", "An order was placed", "orders", typeof(OrderPlaced), PayloadSchema.For<OrderPlaced>());
        catalog.Register("order.note", "A note on an order", "orders", schema: PayloadSchema.Of(new PayloadField("text", typeof(string)), new PayloadField("pinned", typeof(bool), required: false)));
        catalog.Register("order.ping", "Nothing but the type", "orders");

        using JsonDocument json = JsonDocument.Parse(catalog.ToJson());

        JsonElement[] entries = [.. json.RootElement.EnumerateArray()];
        entries.Select(e => e.GetProperty("type").GetString()).Should().Equal("order.note", "order.ping", "order.placed");
        JsonElement placed = entries[2];
        placed.GetProperty("category").GetString().Should().Be("orders");
        placed.GetProperty("kind").GetString().Should().Be("Notification");
        placed.GetProperty("payloadType").GetString().Should().EndWith("OrderPlaced");
        JsonElement schema = placed.GetProperty("payloadSchema");
        schema.GetProperty("$schema").GetString().Should().Be("https://json-schema.org/draft/2020-12/schema");
        schema.GetProperty("type").ToString().Should().Contain("object");
        JsonElement properties = schema.GetProperty("properties");
        properties.EnumerateObject().Select(p => p.Name).Should().Equal("orderId", "amount", "coupon");
        properties.GetProperty("orderId").GetProperty("type").GetString().Should().Be("string", "the payload's JSON names and types, as stored and sent");
        properties.GetProperty("amount").GetProperty("type").EnumerateArray().Select(t => t.GetString()).Should().Contain("number", "the web defaults also read numbers from strings");
        properties.GetProperty("coupon").GetProperty("type").EnumerateArray().Select(t => t.GetString()).Should().BeEquivalentTo("string", "null");
        schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().Contain(["orderId", "amount"]);

        JsonElement note = entries[0].GetProperty("payloadSchema");
        note.GetProperty("type").GetString().Should().Be("object");
        note.GetProperty("properties").GetProperty("text").GetProperty("type").GetString().Should().Be("string");
        note.GetProperty("properties").GetProperty("pinned").GetProperty("type").GetString().Should().Be("boolean");
        note.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().Equal("text");
        entries[1].TryGetProperty("payloadSchema", out _).Should().BeFalse("a type without a payload has nothing to describe");
    }

    [Fact]
    public void ToJson_AFieldTheCatalogueRequires_IsNotNullableInTheSchema_EvenWhenTheTypeAllowsNull()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register("order.coupon", "A coupon was applied", "orders", typeof(OrderPlaced), PayloadSchema.Of(new PayloadField("Coupon", typeof(string))));

        using JsonDocument json = JsonDocument.Parse(catalog.ToJson());

        JsonElement schema = json.RootElement[0].GetProperty("payloadSchema");
        schema.GetProperty("properties").GetProperty("coupon").GetProperty("type").GetString().Should().Be("string", "strict validation refuses a null coupon");
        schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().Contain("coupon");
    }

    [Fact]
    public async Task StrictMode_RejectsAnUnregisteredType_NamingIt_AndAcceptsNothing()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.StrictCatalog = true);

        Func<Task> publish = () => bus.PublishAsync(Buses.Event("order.placd")).AsTask();
        Func<Task> batch = () => bus.PublishBatchAsync([Buses.Event("workflow.started"), Buses.Event("order.placd")]).AsTask();

        EventSchemaException rejected = (await publish.Should().ThrowAsync<EventSchemaException>()).Which;
        rejected.Message.Should().Contain("'order.placd' is not registered").And.Contain("StrictCatalog");
        rejected.EventType.Should().Be("order.placd");
        rejected.Field.Should().BeNull();
        await batch.Should().ThrowAsync<EventSchemaException>();
        bus.TryPublish(Buses.Event("workflow.started")).Should().BeTrue("standard events are registered");
        await bus.WaitForIdleAsync().Within();
        bus.GetStatistics().Published.Should().Be(1, "nothing of the rejected batch was accepted");
    }

    [Fact]
    public async Task StrictMode_RejectsAPayloadLackingARequiredField_NamingTypeAndField()
    {
        EventCatalog catalog = new();
        catalog.Register("order.placed", "An order was placed", "orders", schema: PayloadSchema.Of(
            new PayloadField("orderId", typeof(string)),
            new PayloadField("amount", typeof(decimal)),
            new PayloadField("coupon", typeof(string), required: false)));
        await using IEventBus bus = EventBusFactory.Create(o => o.StrictCatalog = true, catalog: catalog);
        await bus.StartAsync();

        Func<Task> missing = () => bus.PublishAsync(Buses.Event("order.placed", data: new Dictionary<string, object?> { ["orderId"] = "o-1" })).AsTask();
        Func<Task> wrongType = () => bus.PublishAndWaitAsync(Buses.Event("order.placed", data: new Dictionary<string, object?> { ["orderId"] = "o-1", ["amount"] = "ten" })).AsTask();
        Func<Task> wrongOptional = () => bus.PublishAsync(Buses.Event("order.placed", data: new Dictionary<string, object?> { ["orderId"] = "o-1", ["amount"] = 1m, ["coupon"] = 5 })).AsTask();

        EventSchemaException lacking = (await missing.Should().ThrowAsync<EventSchemaException>()).Which;
        lacking.Message.Should().Contain("'order.placed'").And.Contain("lacks required field 'amount'");
        lacking.Field.Should().Be("amount");
        (await wrongType.Should().ThrowAsync<EventSchemaException>()).Which.Message.Should().Contain("field 'amount' as String, not Decimal");
        (await wrongOptional.Should().ThrowAsync<EventSchemaException>()).Which.Field.Should().Be("coupon");
        await bus.PublishAsync(Buses.Event("order.placed", data: new Dictionary<string, object?> { ["orderId"] = "o-1", ["amount"] = 10m }));
    }

    [Fact]
    public void Schemas_CheckTypedPayloads_ThroughTheirProperties_AndRegisteredPayloadTypes()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register("order.placed", "An order was placed", "orders", typeof(OrderPlaced), PayloadSchema.For<OrderPlaced>());

        Action valid = () => catalog.Validate(Buses.Event("order.placed", data: new OrderPlaced("o-1", 3m, null)));
        Action nullField = () => catalog.Validate(Buses.Event("order.placed", data: new OrderPlaced(null!, 3m, null)));
        Action wrongPayload = () => catalog.Validate(Buses.Event("order.placed", data: "o-1"));

        valid.Should().NotThrow();
        nullField.Should().Throw<EventSchemaException>().Which.Field.Should().Be("OrderId");
        wrongPayload.Should().Throw<EventSchemaException>().WithMessage("*'System.String'*registers*OrderPlaced*");
    }

    [Fact]
    public void BadSchemas_AreRefused()
    {
        Action duplicateField = () => PayloadSchema.Of(new PayloadField("a", typeof(int)), new PayloadField("a", typeof(string)));
        Action wildcardType = () => _ = new EventTypeDescriptor("order.*", "orders", "orders");

        duplicateField.Should().Throw<ArgumentException>().WithMessage("*field 'a' twice*");
        wildcardType.Should().Throw<ArgumentException>();
        new PayloadField("coupon", typeof(string), required: false).ToString().Should().Be("coupon: String?");
    }
}
