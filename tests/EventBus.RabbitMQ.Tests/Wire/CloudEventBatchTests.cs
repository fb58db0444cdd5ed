using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace EventBus.RabbitMQ.Tests.Wire;

/// <summary>CloudEvents batches: the CNCF SDK reads ours and we read its; a refused entry is reported alone with its JSON.</summary>
public sealed class CloudEventBatchTests
{
    private static readonly EventCatalog Catalog = new EventCatalog()
        .Register("order.placed", "An order was placed", "orders", typeof(OrderPlaced));

    private readonly CloudEventJsonFormat _format = new(Catalog);

    private static EventEnvelope Placed(int n) =>
        new EventBuilder("order.placed").WithSource("shop").WithWorkflow("order-" + n).WithData(new OrderPlaced("order-" + n, n)).Build();

    [Fact]
    public void ABatch_RoundTripsEveryEventInOrder()
    {
        EventEnvelope[] sent = [Placed(1), Placed(2), Placed(3)];

        List<BatchEntry> received = _format.DecodeBatch(CloudEventJsonFormat.JoinBatch([.. sent.Select(_format.Encode)]));

        received.Select(e => e.Error).Should().AllSatisfy(e => e.Should().BeNull());
        received.Select(e => e.Event).Should().BeEquivalentTo(sent, o => o.WithStrictOrdering());
    }

    [Fact]
    public void TheCncfSdk_ReadsOurBatch()
    {
        EventEnvelope[] sent = [Placed(1), Placed(2)];

        IReadOnlyList<CloudEvent> events = new JsonEventFormatter().DecodeBatchModeMessage(
            CloudEventJsonFormat.JoinBatch([.. sent.Select(_format.Encode)]), new ContentType(CloudEventAttributes.BatchContentType), extensionAttributes: null);

        events.Select(e => e.Id).Should().Equal(sent.Select(e => e.Id.ToString()));
        events.Select(e => e["partitionkey"]).Should().Equal("order-1", "order-2");
    }

    [Fact]
    public void WeRead_TheCncfSdksBatch()
    {
        CloudEvent[] written = [.. Enumerable.Range(1, 2).Select(n => new CloudEvent
        {
            Id = Guid.NewGuid().ToString(),
            Source = new Uri("urn:shop"),
            Type = "order.placed",
            Time = DateTimeOffset.UnixEpoch,
            DataContentType = "application/json",
            Data = new { orderId = "order-" + n, amount = n },
        })];

        List<BatchEntry> received = _format.DecodeBatch(new JsonEventFormatter().EncodeBatchModeMessage(written, out _));

        received.Select(e => e.Event!.Data).Should().Equal(new OrderPlaced("order-1", 1), new OrderPlaced("order-2", 2));
    }

    [Fact]
    public void AnEntryThatCanNotBeRead_IsReportedAloneWithItsJson_AndTheOthersAreRead()
    {
        byte[] good = _format.Encode(Placed(1));
        byte[] unknown = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"x-1","source":"shop","type":"order.cancelled"}""");

        List<BatchEntry> received = _format.DecodeBatch(CloudEventJsonFormat.JoinBatch([good, unknown, good]));

        received.Should().HaveCount(3);
        received[0].Event.Should().NotBeNull();
        received[1].Error!.Error.Should().Be(WireFormatError.UnknownType);
        Encoding.UTF8.GetString(received[1].Json.Span).Should().Be(Encoding.UTF8.GetString(unknown));
        received[2].Event.Should().NotBeNull();
    }

    [Theory]
    [InlineData("""{"specversion":"1.0"}""", WireFormatError.Malformed)]
    [InlineData("""[{"id":1}""", WireFormatError.Malformed)]
    public void AMessageThatIsNotAJsonArray_IsRefusedWhole(string message, WireFormatError expected)
    {
        Action decode = () => _format.DecodeBatch(Encoding.UTF8.GetBytes(message));

        decode.Should().Throw<WireFormatException>().Which.Error.Should().Be(expected);
    }

    [Fact]
    public void ABatchOverTheLimit_IsRefusedUnparsed()
    {
        CloudEventJsonFormat small = new(Catalog, maxMessageBytes: 100);

        Action decode = () => small.DecodeBatch(CloudEventJsonFormat.JoinBatch([_format.Encode(Placed(1))]));

        decode.Should().Throw<WireFormatException>().Which.Error.Should().Be(WireFormatError.TooLarge);
    }

    [Fact]
    public void AnEmptyBatch_HasNoEntries()
    {
        _format.DecodeBatch(CloudEventJsonFormat.JoinBatch([])).Should().BeEmpty();
    }
}
