using global::RabbitMQ.Client;

namespace EventBus.RabbitMQ.Tests.Broker;

[Collection(SharedBroker.Name)]
public sealed class BrokerSmokeTests(RabbitMqNode node)
{
    [Fact]
    public async Task ThePrivateNode_AcceptsConnections_OnItsOwnPort()
    {
        ConnectionFactory factory = new() { Uri = node.Uri };
        await using IConnection connection = await factory.CreateConnectionAsync();

        connection.IsOpen.Should().BeTrue();
        (await node.CtlAsync("list_queues")).Should().NotBeNull();
    }
}
