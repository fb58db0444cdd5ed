using System.Net;
using System.Net.Sockets;
using EventBus.RabbitMQ.Tests.Broker;
using EventBus.RabbitMQ.Tests.Wire;
using global::RabbitMQ.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.RabbitMQ.Tests.Transport;

[Collection(SharedBroker.Name)]
public sealed class DurableOutboxAndInboxTests(RabbitMqNode node) : IDisposable
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("eventbus-rabbitmq-store-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task EventsStoredWhileTheBrokerIsUnreachable_SurviveAProducerRestart_AndArriveOnce()
    {
        string store = Path.Combine(_directory.FullName, "producer.db");
        Received received = new();
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "outbox-" + _exchange; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", received.Add));
        List<Guid> published = [];
        await using (TestApp away = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Port = UnusedPort(); o.Publish.Add("order.#"); }, storePath: store))
        {
            for (int i = 0; i < 300; i++)
            {
                EventEnvelope order = new EventBuilder("order.paid").WithSource("shop").WithWorkflow("order-" + (i % 3)).Build();
                published.Add(order.Id);
                await away.Bus.PublishAsync(order);
            }
        }

        // Small batches: many are in flight while the channel opens, and they must still leave in order.
        await using TestApp back = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); o.Relay.BatchSize = 10; }, storePath: store);
        await received.WaitForAsync(300);
        await back.Bus.PublishAsync(new EventBuilder("order.paid").WithSource("shop").Build());
        await received.WaitForAsync(301);
        await consumer.Bus.WaitForIdleAsync();

        received.Events.Take(300).Select(e => e.Id).Should().Equal(published, "the store kept them through the restart, and they left in order (batches sent while the channel opened)");
        received.Events.Should().HaveCount(301, "each arrived once");
        back.Host.Services.GetRequiredService<ExternalRelays>()[RabbitMqPublisher.PublisherName].IsDurable.Should().BeTrue();
    }

    [Fact]
    public async Task AnEventHandledBeforeARestart_IsRecognisedFromTheStoredInbox_WhenTheBrokerDeliversItAgain()
    {
        string store = Path.Combine(_directory.FullName, "consumer.db");
        string queue = "stored-inbox-" + _exchange;
        Received before = new();
        Received after = new();
        byte[] handled;
        await using (TestApp first = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", before.Add), storePath: store))
        {
            CloudEventJsonFormat format = first.Host.Services.GetRequiredService<CloudEventJsonFormat>();
            handled = format.Encode(new EventBuilder("order.placed").WithSource("shop").WithData(new OrderPlaced("o-1", 5m)).Build());
            await PublishRawAsync(handled);
            await before.WaitForAsync(1);
            await first.Bus.WaitForIdleAsync();
        }

        // As the broker does for a message whose acknowledgement was lost with a killed consumer: the same event again.
        await PublishRawAsync(handled);
        await PublishRawAsync(new CloudEventJsonFormat(new EventCatalog()).Encode(new EventBuilder("order.paid").WithSource("shop").Build()));
        await using TestApp second = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", after.Add), storePath: store);
        await after.WaitForAsync(1);
        await second.Bus.WaitForIdleAsync();

        RabbitMqConsumer consumer = second.Host.Services.GetRequiredService<RabbitMqConsumer>();
        after.Events.Select(e => e.Type).Should().Equal(["order.paid"], "the redelivered event was handled before the restart");
        consumer.Duplicates.Should().Be(1);
        consumer.InboxRestored.Should().Be(1);
    }

    private static int UnusedPort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task PublishRawAsync(byte[] message)
    {
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.BasicPublishAsync(_exchange, message.Length > 0 && System.Text.Encoding.UTF8.GetString(message).Contains("order.paid", StringComparison.Ordinal) ? "order.paid" : "order.placed", message);
    }
}
