using System.Globalization;
using System.Text;
using EventBus.RabbitMQ.Tests.Broker;
using EventBus.RabbitMQ.Tests.Wire;
using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Events;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>
/// Several events per message (<see cref="RabbitMqOptions.EventsPerMessage"/>): fewer messages cross the broker, each
/// key's events still arrive in order at partitioned consumers, and every event of a batch is handled, deduplicated and
/// dead-lettered on its own.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class BatchedMessagesTests(RabbitMqNode node) : IDisposable
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("eventbus-rabbitmq-batch-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task ABatchOfEvents_TravelsAsFewerMessages_AndEachKeysEventsArriveInOrderAtAPartitionedConsumer()
    {
        Received received = new();
        await using TestApp consumer = await TestApp.StartAsync(
            node,
            o => { o.Exchange = _exchange; o.QueueName = "batched-" + _exchange; o.Partitions = 3; o.Receive.Add("order.#"); },
            bus => bus.Subscribe("order.#", received.Add));
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        string tap = "tap-" + _exchange;
        await channel.QueueDeclareAsync(tap, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(tap, _exchange, "#");
        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); o.EventsPerMessage = 20; });
        List<EventEnvelope> events = [];
        for (int i = 0; i < 240; i++)
        {
            EventBuilder builder = new EventBuilder(i >= 200 ? "order.paid" : "order.placed")
                .WithSource("shop")
                .WithWorkflow("order-" + (i % 12))
                .WithMetadata("sequence", i.ToString(CultureInfo.InvariantCulture));
            events.Add(i >= 200 ? builder.Build() : builder.WithData(new OrderPlaced("order-" + (i % 12), i)).Build());
        }

        await producer.Host.Services.GetRequiredService<RabbitMqPublisher>().PublishBatchAsync(events);
        await received.WaitForAsync(240);

        CloudEventJsonFormat format = producer.Host.Services.GetRequiredService<CloudEventJsonFormat>();
        int expectedMessages = MessageGrouping.Group(events, [.. events.Select(e => format.Encode(e).Length)], 20, format.MaxMessageBytes).Count;
        uint messages = (await channel.QueueDeclarePassiveAsync(tap)).MessageCount;
        messages.Should().Be((uint)expectedMessages).And.BeLessThan(240 / 4, "up to 20 events of one type and bucket share a message (a type changing within a bucket starts a new one)");
        received.Events.Select(e => e.Id).Should().BeEquivalentTo(events.Select(e => e.Id), "every event arrived once");
        foreach (IGrouping<string?, EventEnvelope> key in received.Events.GroupBy(e => e.WorkflowId))
        {
            key.Select(e => int.Parse(e.Metadata["sequence"], CultureInfo.InvariantCulture)).Should().BeInAscendingOrder($"the events of {key.Key} keep their order");
        }
    }

    [Fact]
    public async Task AnEntryThatCanNotBeRead_IsDeadLetteredAlone_AndTheRestOfItsBatchIsHandled()
    {
        Received received = new();
        string queue = "batch-refused-" + _exchange;
        await using TestApp consumer = await TestApp.StartAsync(
            node,
            o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("order.#"); },
            bus => bus.Subscribe("order.#", received.Add));
        CloudEventJsonFormat format = consumer.Host.Services.GetRequiredService<CloudEventJsonFormat>();
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        Task<BasicDeliverEventArgs> deadLettered = await Deliveries.FirstOfAsync(channel, queue + ".dead-letter");
        byte[] unknown = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"u-1","source":"shop","type":"order.refunded"}""");
        EventEnvelope first = new EventBuilder("order.placed").WithSource("shop").WithData(new OrderPlaced("o-1", 1)).Build();
        EventEnvelope last = new EventBuilder("order.placed").WithSource("shop").WithData(new OrderPlaced("o-2", 2)).Build();

        await channel.BasicPublishAsync(
            _exchange,
            "order.placed",
            mandatory: false,
            new BasicProperties { ContentType = "application/cloudevents-batch+json" },
            CloudEventJsonFormat.JoinBatch([format.Encode(first), unknown, format.Encode(last)]));
        BasicDeliverEventArgs letter = await deadLettered.WaitAsync(TimeSpan.FromSeconds(60));
        await received.WaitForAsync(2);

        received.Events.Select(e => e.Id).Should().Equal(first.Id, last.Id);
        Encoding.UTF8.GetString(letter.Body.Span).Should().Be(Encoding.UTF8.GetString(unknown), "the refused entry is dead-lettered alone, as it came");
        letter.BasicProperties.ContentType.Should().Be("application/cloudevents+json");
        Encoding.UTF8.GetString((byte[])letter.BasicProperties.Headers![RabbitMqConsumer.ReasonHeader]!).Should().Be(nameof(WireFormatError.UnknownType));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnEventTheBusRefuses_IsDeadLetteredAlone_WithTheReason_AndTheOthersAreHandled(bool batched)
    {
        Received received = new();
        string queue = "refused-" + batched + "-" + _exchange;
        await using TestApp consumer = await TestApp.StartAsync(
            node,
            o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("order.#"); },
            bus => bus.Subscribe("order.#", received.Add),
            configureBus: o => o.Limits.MaxMetadataCount = 2);
        CloudEventJsonFormat format = consumer.Host.Services.GetRequiredService<CloudEventJsonFormat>();
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        Task<BasicDeliverEventArgs> deadLettered = await Deliveries.FirstOfAsync(channel, queue + ".dead-letter");
        EventEnvelope[] events =
        [
            new EventBuilder("order.paid").WithSource("shop").Build(),

            // Over this application's limit once received_from is added: the bus refuses it on every delivery.
            new EventBuilder("order.paid").WithSource("shop").WithMetadata("a", "1").WithMetadata("b", "2").Build(),
            new EventBuilder("order.paid").WithSource("shop").Build(),
        ];

        foreach (byte[] message in batched ? [CloudEventJsonFormat.JoinBatch([.. events.Select(format.Encode)])] : events.Select(format.Encode))
        {
            await channel.BasicPublishAsync(_exchange, "order.paid", mandatory: false, new BasicProperties { ContentType = batched ? "application/cloudevents-batch+json" : "application/cloudevents+json" }, message);
        }

        BasicDeliverEventArgs letter = await deadLettered.WaitAsync(TimeSpan.FromSeconds(60));
        await received.WaitForAsync(2);

        received.Events.Select(e => e.Id).Should().Equal(events[0].Id, events[2].Id);
        format.Decode(letter.Body).Id.Should().Be(events[1].Id, "the refused event is dead-lettered alone");
        Encoding.UTF8.GetString((byte[])letter.BasicProperties.Headers![RabbitMqConsumer.ReasonHeader]!).Should().Be("RefusedByBus");
        Encoding.UTF8.GetString((byte[])letter.BasicProperties.Headers[RabbitMqConsumer.ErrorHeader]!).Should().Contain("MaxMetadataCount");
    }

    [Fact]
    public async Task ABatchHandedBackPartWayThrough_IsHandledFromWhereItStopped_AfterARestart()
    {
        string store = Path.Combine(_directory.FullName, "consumer.db");
        string queue = "batch-redelivered-" + _exchange;
        TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Received before = new();
        Received after = new();
        EventEnvelope[] batch = [.. Enumerable.Range(0, 4).Select(i => new EventBuilder("order.paid").WithSource("shop").WithWorkflow("order-1").Build())];
        void Configure(RabbitMqOptions o)
        {
            o.Exchange = _exchange;
            o.QueueName = queue;
            o.Receive.Add("order.#");
        }

        TestApp first = await TestApp.StartAsync(
            node,
            Configure,
            bus => bus.Subscribe("order.#", async (e, _) =>
            {
                before.Add(e);
                if (e.Id == batch[1].Id)
                {
                    // The second event is being handled when the application is told to stop.
                    entered.TrySetResult();
                    await release.Task;
                }
            }),
            storePath: store);
        CloudEventJsonFormat format = first.Host.Services.GetRequiredService<CloudEventJsonFormat>();
        await using (IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync())
        await using (IChannel channel = await connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync(_exchange, "order.paid", mandatory: false, new BasicProperties { ContentType = "application/cloudevents-batch+json" }, CloudEventJsonFormat.JoinBatch([.. batch.Select(format.Encode)]));
        }

        await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Task stopping = first.DisposeAsync().AsTask();
        release.SetResult();
        await stopping;

        await using TestApp second = await TestApp.StartAsync(node, Configure, bus => bus.Subscribe("order.#", after.Add), storePath: store);
        await after.WaitForAsync(2);
        await second.Bus.WaitForIdleAsync();

        before.Events.Select(e => e.Id).Should().Equal(batch[0].Id, batch[1].Id);
        after.Events.Select(e => e.Id).Should().Equal([batch[2].Id, batch[3].Id], "the two handled before the stop are in the stored inbox");
        second.Host.Services.GetRequiredService<RabbitMqConsumer>().Duplicates.Should().Be(2);
    }
}
