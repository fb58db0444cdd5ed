using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace EventBus.RabbitMQ.Tests.Wire;

public sealed record OrderPlaced(string OrderId, decimal Amount);

/// <summary>The wire format: every envelope field survives, the CNCF SDK reads what we write and we read what it writes, and hostile input is refused with the reason.</summary>
public sealed class CloudEventJsonFormatTests
{
    private static readonly EventCatalog Catalog = new EventCatalog()
        .Register("order.placed", "An order was placed", "orders", typeof(OrderPlaced))
        .Register("order.note", "A note without a payload type", "orders");

    private readonly CloudEventJsonFormat _format = new(Catalog);

    private static EventEnvelope FullEnvelope() => new EventBuilder("order.placed")
        .WithKind(EventKind.Command)
        .WithSource("shop")
        .WithTarget("billing")
        .WithWorkflow("order-42", "payment")
        .WithCorrelation("corr-1")
        .WithCausation(Guid.CreateVersion7())
        .WithPriority(EventPriority.High)
        .WithExpiry(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero))
        .WithSchemaVersion(3)
        .WithPersistence(PersistenceLevel.Critical)
        .WithMetadata("batch_id", "b-1")
        .WithMetadata("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .WithData(new OrderPlaced("order-42", 12.5m))
        .BuildStored(Guid.CreateVersion7(), new DateTimeOffset(2026, 12, 1, 10, 11, 12, 123, TimeSpan.Zero).AddTicks(4567));

    [Fact]
    public void EveryEnvelopeField_SurvivesTheRoundTrip()
    {
        EventEnvelope sent = FullEnvelope();

        EventEnvelope received = _format.Decode(_format.Encode(sent));

        received.Should().BeEquivalentTo(sent, o => o.Excluding(e => e.Data));
        received.Data.Should().Be(sent.Data);
        received.Timestamp.Should().Be(sent.Timestamp, "time keeps its ticks");
    }

    [Fact]
    public void AnEventWithOnlyTheRequiredFields_RoundTripsWithItsDefaults()
    {
        EventEnvelope sent = new EventBuilder("order.note").BuildStored(Guid.NewGuid(), DateTimeOffset.UnixEpoch);

        EventEnvelope received = _format.Decode(_format.Encode(sent));

        received.Should().BeEquivalentTo(sent);
    }

    [Fact]
    public void TheCncfSdk_ReadsWhatWeWrite_WithTheSameAttributes()
    {
        EventEnvelope sent = FullEnvelope();

        CloudEvent cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(_format.Encode(sent), new ContentType(CloudEventAttributes.StructuredContentType), extensionAttributes: null);

        cloudEvent.SpecVersion.Should().Be(CloudEventsSpecVersion.V1_0);
        cloudEvent.Id.Should().Be(sent.Id.ToString());
        cloudEvent.Source.Should().Be(new Uri("shop", UriKind.RelativeOrAbsolute));
        cloudEvent.Type.Should().Be("order.placed");
        cloudEvent.Time.Should().Be(sent.Timestamp);
        cloudEvent.Subject.Should().Be("order-42");
        cloudEvent.DataContentType.Should().Be("application/json");
        cloudEvent["correlationid"].Should().Be("corr-1");
        cloudEvent["causationid"].Should().Be(sent.CausationId.ToString());
        cloudEvent["partitionkey"].Should().Be("order-42");
        cloudEvent["priority"].Should().Be("High");
        cloudEvent["traceparent"].Should().Be(sent.Metadata["traceparent"]);
        ((JsonElement)cloudEvent.Data!).GetProperty("amount").GetDecimal().Should().Be(12.5m);
    }

    [Fact]
    public void WeRead_WhatTheCncfSdkWrites_IncludingForeignIdsAndExtensions()
    {
        CloudEvent cloudEvent = new()
        {
            Id = "A234-1234-1234",
            Source = new Uri("urn:shop:web"),
            Type = "order.placed",
            Time = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero),
            Subject = "order-7",
            DataContentType = "application/json",
            Data = new { orderId = "order-7", amount = 3.25m },
        };
        cloudEvent.SetAttributeFromString("correlationid", "corr-9");
        cloudEvent.SetAttributeFromString("tenant", "acme");
        byte[] written = new JsonEventFormatter().EncodeStructuredModeMessage(cloudEvent, out _).ToArray();

        EventEnvelope received = _format.Decode(written);
        EventEnvelope again = _format.Decode(written);

        received.Type.Should().Be("order.placed");
        received.Source.Should().Be("urn:shop:web");
        received.Timestamp.Should().Be(cloudEvent.Time!.Value);
        received.CorrelationId.Should().Be("corr-9");
        received.Data.Should().Be(new OrderPlaced("order-7", 3.25m));
        received.Metadata.Should().Contain("tenant", "acme").And.Contain("cloudevents_id", "A234-1234-1234");
        again.Id.Should().Be(received.Id, "a foreign id maps to one GUID, so redeliveries keep their identity");
    }

    [Fact]
    public void ACataloguedTypeWithoutAPayloadType_KeepsItsJson()
    {
        byte[] message = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"n-1","source":"s","type":"order.note","data":{"text":"hi"}}""");

        EventEnvelope received = _format.Decode(message);

        ((JsonElement)received.Data!).GetProperty("text").GetString().Should().Be("hi");
    }

    [Theory]
    [InlineData("""not json""", WireFormatError.Malformed, "not valid JSON")]
    [InlineData("""[1,2]""", WireFormatError.Malformed, "not an object")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"s","type":"order.note"}""", WireFormatError.Malformed, "specversion is '0.3'")]
    [InlineData("""{"specversion":"1.0","source":"s","type":"order.note"}""", WireFormatError.Malformed, "'id' is missing")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.unknown"}""", WireFormatError.UnknownType, "'order.unknown' is not in the EventCatalog")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.placed","data":{"amount":"lots"}}""", WireFormatError.UndeserializablePayload, "does not deserialize into")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.note","priority":"Urgent"}""", WireFormatError.Malformed, "'priority' is 'Urgent'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.note","priority":"7"}""", WireFormatError.Malformed, "'priority' is '7'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.note","causationid":"x"}""", WireFormatError.Malformed, "not a GUID")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.note","time":"yesterday"}""", WireFormatError.Malformed, "not an RFC 3339")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.note","metadata":"[1]"}""", WireFormatError.Malformed, "metadata attribute")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"order.note","workflowid":7}""", WireFormatError.Malformed, "must be a string")]
    public void HostileOrBrokenMessages_AreRefusedWithTheReason(string json, WireFormatError error, string reason)
    {
        FluentActions.Invoking(() => _format.Decode(Encoding.UTF8.GetBytes(json)))
            .Should().Throw<WireFormatException>().Where(e => e.Error == error).WithMessage($"*{reason}*");
    }

    [Fact]
    public void ATooLargeMessage_IsRefusedBeforeParsing_AndDeepNestingIsRefused()
    {
        CloudEventJsonFormat small = new(Catalog, maxMessageBytes: 64);
        byte[] large = new byte[65];

        FluentActions.Invoking(() => small.Decode(large)).Should().Throw<WireFormatException>()
            .Where(e => e.Error == WireFormatError.TooLarge).WithMessage("*65 bytes; the limit is 64*not parsed*");
        string deep = new string('[', 100) + new string(']', 100);
        FluentActions.Invoking(() => _format.Decode(Encoding.UTF8.GetBytes($$"""{"specversion":"1.0","id":"1","source":"s","type":"order.note","data":{{deep}}}""")))
            .Should().Throw<WireFormatException>().Where(e => e.Error == WireFormatError.Malformed).WithMessage("*deeper than 64*");
    }

    [Fact]
    public void ControlCharactersFromTheWire_AreEscapedInMessages()
    {
        byte[] message = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"1","source":"s","type":"evil\u001b[31m.type"}""");

        FluentActions.Invoking(() => _format.Decode(message)).Should().Throw<WireFormatException>()
            .Which.Message.Should().Contain("\\u001b").And.NotContain("\u001b");
    }
}
