using EventBus.RabbitMQ.Tests.Broker;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>
/// The broker goes away mid-stream and comes back: local delivery never stops, the relay holds and retries what it
/// could not send, the consumer is re-created by the client's recovery, and nothing is lost.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class BrokerRestartTests(RabbitMqNode node)
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ABrokerRestartMidStream_LosesNothing_AndKeepsOrderPerKey()
    {
        Received remote = new();
        Received local = new();
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "restart-" + _exchange; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", remote.Add));
        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); }, bus => bus.Subscribe("order.#", local.Add));
        List<Guid> sent = [];

        async Task PublishAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                EventEnvelope envelope = new EventBuilder("order.paid").WithWorkflow("order-1").Build();
                sent.Add(envelope.Id);
                await producer.Bus.PublishAsync(envelope);
            }
        }

        await PublishAsync(50);
        await remote.WaitForAsync(50);
        await node.StopAsync();
        await PublishAsync(50);
        await local.WaitForAsync(100);
        local.Events.Select(e => e.Id).Should().Equal(sent, "local delivery goes on while the broker is down");

        await node.StartAsync();
        await remote.WaitForAsync(100);
        await producer.Bus.WaitForIdleAsync();

        List<Guid> arrived = [.. remote.Events.Select(e => e.Id)];
        arrived.Distinct().Should().BeEquivalentTo(sent, "nothing is lost");
        arrived.Distinct().Should().Equal(sent, "events of one key keep their order across the restart");
        producer.Bus.DeadLetters.Count.Should().Be(0, "the relay's retries outlasted the restart");
    }
}
