using System.Text;
using EventBus.RabbitMQ.Tests.Broker;
using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Events;

namespace EventBus.RabbitMQ.Tests.Transport;

[Collection(SharedBroker.Name)]
public sealed class PoisonMessageTests(RabbitMqNode node)
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AMessageHandedBackOnEveryDelivery_GoesToTheDeadLetterExchangeAfterTheLimit()
    {
        Received received = new();
        string queue = "limit-" + _exchange;
        await using TestApp consumer = await TestApp.StartAsync(
            node,
            o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("order.#"); o.DeliveryLimit = 3; },
            bus => bus.Subscribe("order.#", received.Add));
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        Task<BasicDeliverEventArgs> deadLettered = await Deliveries.FirstOfAsync(channel, queue + ".dead-letter");

        // A bus that stopped under a running consumer refuses every delivery, and the consumer hands each one back, as
        // one that crashes on a message would: the broker counts the deliveries and gives up at the limit.
        await consumer.Bus.StopAsync();
        await channel.BasicPublishAsync(_exchange, "order.paid", Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"p-1","source":"poison","type":"order.paid"}"""));
        BasicDeliverEventArgs letter = await deadLettered.WaitAsync(TimeSpan.FromSeconds(60));

        Encoding.UTF8.GetString(letter.Body.Span).Should().Contain("\"p-1\"");
        List<object> deaths = (List<object>)letter.BasicProperties.Headers!["x-death"]!;
        IDictionary<string, object?> death = (IDictionary<string, object?>)deaths[0];
        Encoding.UTF8.GetString((byte[])death["reason"]!).Should().Be("delivery_limit");
        Encoding.UTF8.GetString((byte[])death["queue"]!).Should().Be(queue);
        Encoding.UTF8.GetString((byte[])letter.BasicProperties.Headers["x-first-death-reason"]!).Should().Be("delivery_limit");
        received.Events.Should().BeEmpty();
    }
}
