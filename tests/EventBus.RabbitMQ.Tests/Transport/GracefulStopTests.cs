using EventBus.RabbitMQ.Tests.Broker;
using global::RabbitMQ.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>
/// A consumer that stops gracefully has acknowledged every message it handled, and the broker has taken those
/// acknowledgements: none comes back to be handled again. The broker's channel may hold a quorum queue's acknowledgements
/// back and drop them when the channel closes, so the consumer makes sure they were taken before it closes.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class GracefulStopTests(RabbitMqNode node)
{
    private const int Messages = 1_000;
    private const int Rounds = 3;
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AConsumerThatStops_HasEveryHandledMessageAcknowledged_SoNoneComesBack()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string queue = $"acks-{round}-{_exchange}";
            uint ready = await StopAfterHandlingAsync(o => o.QueueName = queue, [queue]);
            ready.Should().Be(0, $"all {Messages} messages were handled and acknowledged before the consumer stopped (stop {round + 1})");
        }
    }

    [Fact]
    public async Task APartitionConsumerThatStops_HasEveryHandledMessageAcknowledged_SoNoneComesBack()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string queue = $"acks-partitions-{round}-{_exchange}";
            uint ready = await StopAfterHandlingAsync(o => { o.QueueName = queue; o.Partitions = 2; }, [$"{queue}.0", $"{queue}.1"]);
            ready.Should().Be(0, $"all {Messages} messages were handled and acknowledged before the consumer of both partitions stopped (stop {round + 1})");
        }
    }

    /// <summary>
    /// Starts a consumer, sends it <see cref="Messages"/> CloudEvents straight to the exchange (a fast run of deliveries and
    /// acknowledgements: the broker held some back in most such stops), stops it once it has handled them all, and
    /// returns how many of its queues' messages are ready again.
    /// </summary>
    private async Task<uint> StopAfterHandlingAsync(Action<RabbitMqOptions> configure, string[] queues)
    {
        Received received = new();
        TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Receive.Add("order.#"); configure(o); }, bus => bus.Subscribe("order.#", received.Add));
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        CloudEventJsonFormat format = consumer.Host.Services.GetRequiredService<CloudEventJsonFormat>();
        for (int i = 0; i < Messages; i++)
        {
            BasicProperties properties = new() { Headers = new Dictionary<string, object?> { ["partitionkey"] = $"order-{i % 16}" } };
            await channel.BasicPublishAsync(_exchange, "order.paid", mandatory: false, properties, format.Encode(new EventBuilder("order.paid").WithSource("shop").Build()));
        }

        await received.WaitForAsync(Messages);
        await consumer.DisposeAsync();

        uint ready = 0;
        foreach (string queue in queues)
        {
            ready += await ReadyOnceConsumerGoneAsync(channel, queue);
        }

        return ready;
    }

    /// <summary>
    /// The queue learns of the closed channel a moment after the close completes (a quorum queue through its log), and
    /// returns that channel's unacknowledged messages in the same step that removes its consumer: ask until the consumer
    /// is gone, then count the ready messages.
    /// </summary>
    private static async Task<uint> ReadyOnceConsumerGoneAsync(IChannel channel, string queue)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(60));
        QueueDeclareOk state = await channel.QueueDeclarePassiveAsync(queue, limit.Token);
        while (state.ConsumerCount > 0)
        {
            state = await channel.QueueDeclarePassiveAsync(queue, limit.Token);
        }

        return state.MessageCount;
    }
}
