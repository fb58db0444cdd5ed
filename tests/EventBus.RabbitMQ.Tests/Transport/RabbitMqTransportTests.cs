using System.Text;
using EventBus.RabbitMQ.Tests.Broker;
using EventBus.RabbitMQ.Tests.Wire;
using global::RabbitMQ.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>Two applications on one real broker: what one publishes, the other receives, whole and once.</summary>
[Collection(SharedBroker.Name)]
public sealed class RabbitMqTransportTests(RabbitMqNode node)
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AnEventPublishedInOneApplication_ArrivesInAnother_WithEveryField()
    {
        Received received = new();
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "billing-" + _exchange; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", received.Add));
        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); });
        EventEnvelope sent = new EventBuilder("order.placed")
            .WithKind(EventKind.Command).WithSource("shop").WithTarget("billing").WithWorkflow("order-1", "payment")
            .WithCorrelation("corr-1").WithCausation(Guid.NewGuid()).WithPriority(EventPriority.High)
            .WithExpiry(TimeSpan.FromHours(1)).WithSchemaVersion(2).WithMetadata("tenant", "acme")
            .WithData(new OrderPlaced("order-1", 9.99m)).Build();

        await producer.Bus.PublishAsync(sent);
        await received.WaitForAsync(1);

        EventEnvelope arrived = received.Events.Should().ContainSingle().Subject;
        arrived.Should().BeEquivalentTo(sent, o => o.Excluding(e => e.Metadata).Excluding(e => e.Data));
        arrived.Data.Should().Be(sent.Data);
        arrived.Metadata.Should().Contain("tenant", "acme").And.Contain(EventMetadataKeys.ReceivedFrom, "rabbitmq");
    }

    [Fact]
    public async Task Bindings_MatchTheSameTypesOnTheBrokerAsLocally()
    {
        string[] patterns = ["order.*", "*.created", "#"];
        string[] types = ["order.placed", "order.paid", "stock.created", "stock.item.created"];
        Received[] received = [.. patterns.Select(_ => new Received())];
        List<TestApp> consumers = [];
        for (int i = 0; i < patterns.Length; i++)
        {
            Received sink = received[i];
            string pattern = patterns[i];
            consumers.Add(await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = $"q{i}-{_exchange}"; o.Receive.Add(pattern); }, bus => bus.Subscribe("#", sink.Add)));
        }

        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("#"); });
        foreach (string type in types)
        {
            await producer.Bus.PublishAsync(new EventBuilder(type).WithWorkflow("k").Build());
        }

        for (int i = 0; i < patterns.Length; i++)
        {
            string[] expected = [.. types.Where(t => EventFilter.Pattern(patterns[i]).Matches(new EventBuilder(t).Build()))];
            await received[i].WaitForAsync(expected.Length);
            await using (consumers[i])
            {
            }

            received[i].Events.Select(e => e.Type).Should().BeEquivalentTo(expected, $"the broker routes '{patterns[i]}' as the local filter does");
        }
    }

    [Fact]
    public async Task EventsReceivedFromTheBroker_AreNeverSentBackOut()
    {
        Received received = new();
        await using TestApp relay = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "relay-" + _exchange; o.Receive.Add("order.#"); o.Publish.Add("#"); }, bus => bus.Subscribe("order.#", received.Add));
        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); });

        await producer.Bus.PublishAsync(new EventBuilder("order.placed").WithData(new OrderPlaced("o", 1m)).Build());
        await received.WaitForAsync(1);
        await relay.Bus.PublishAsync(new EventBuilder("stock.created").Build());
        await relay.Bus.WaitForIdleAsync();

        // The relay's outbound subscription saw only the event the application published itself.
        ISubscription outbound = relay.Bus.Subscriptions.Single(s => s.SubscriberId == "external:rabbitmq");
        outbound.Counters.Should().BeEquivalentTo(new { Matched = 1L, Delivered = 1L, Failed = 0L });
    }

    [Fact]
    public async Task MalformedAndOversizedMessages_AreDeadLetteredWithTheirReason_AndTheConsumerGoesOn()
    {
        Received received = new();
        string queue = "poison-" + _exchange;
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("#"); o.MaxMessageBytes = 4_096; }, bus => bus.Subscribe("#", received.Add));
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();

        await channel.BasicPublishAsync(_exchange, "order.placed", Encoding.UTF8.GetBytes("{ not json"));
        await channel.BasicPublishAsync(_exchange, "order.placed", new byte[5_000]);
        await channel.BasicPublishAsync(_exchange, "order.unknown", Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"1","source":"s","type":"order.unknown"}"""));
        await channel.BasicPublishAsync(_exchange, "order.paid", Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"x-1","source":"s","type":"order.paid"}"""));
        await received.WaitForAsync(1);

        received.Events.Should().ContainSingle().Which.Type.Should().Be("order.paid", "the consumer kept going after three bad messages");
        List<string> reasons = [];
        while (reasons.Count < 3 && await channel.BasicGetAsync(queue + ".dead-letter", autoAck: true) is { } letter)
        {
            reasons.Add(Encoding.UTF8.GetString((byte[])letter.BasicProperties.Headers![RabbitMqConsumer.ReasonHeader]!));
        }

        reasons.Should().Equal("Malformed", "TooLarge", "UnknownType");
    }

    [Fact]
    public async Task AWrongPassword_GivesAClearError_WithTheSecretNowhere()
    {
        const string secret = "wrong-secret-4711";
        await using TestApp app = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "secret-" + _exchange; o.Receive.Add("#"); }, password: secret, waitForConsumer: false);
        RabbitMqPublisher publisher = app.Host.Services.GetRequiredService<RabbitMqPublisher>();

        RabbitMqConnectionException refused = (await FluentActions.Awaiting(() => publisher.PublishAsync(new EventBuilder("order.paid").Build()).AsTask())
            .Should().ThrowAsync<RabbitMqConnectionException>()).Which;

        refused.Message.Should().Contain("refused user 'guest'").And.Contain("Check RabbitMqOptions.UserName and Password").And.NotContain(secret);
        refused.ToString().Should().NotContain(secret);
        app.Host.Services.GetRequiredService<RabbitMqOptions>().ToString().Should().NotContain(secret);
        app.Logs.GetSnapshot().Should().NotContain(record => record.Message.Contains(secret, StringComparison.Ordinal) || (record.Exception != null && record.Exception.ToString().Contains(secret, StringComparison.Ordinal)));
    }
}
