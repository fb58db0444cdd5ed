using EventBus.RabbitMQ.Tests.Broker;
using EventBus.RabbitMQ.Tests.Wire;
using global::RabbitMQ.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventBus.RabbitMQ.Tests.Transport;

[Collection(SharedBroker.Name)]
public sealed class InboxAndHealthTests(RabbitMqNode node)
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ARedeliveredEvent_IsHandledOnce()
    {
        Received received = new();
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "inbox-" + _exchange; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", received.Add));
        CloudEventJsonFormat format = consumer.Host.Services.GetRequiredService<CloudEventJsonFormat>();
        byte[] once = format.Encode(new EventBuilder("order.placed").WithSource("shop").WithData(new OrderPlaced("o-1", 5m)).Build());
        byte[] next = format.Encode(new EventBuilder("order.paid").WithSource("shop").Build());
        await using IConnection connection = await new ConnectionFactory { Uri = node.Uri }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();

        // The same event twice, as a publisher retrying after a lost confirm would send it, then another one.
        await channel.BasicPublishAsync(_exchange, "order.placed", once);
        await channel.BasicPublishAsync(_exchange, "order.placed", once);
        await channel.BasicPublishAsync(_exchange, "order.paid", next);
        await received.WaitForAsync(2);
        await consumer.Bus.WaitForIdleAsync();

        received.Events.Select(e => e.Type).Should().Equal("order.placed", "order.paid");
        consumer.Host.Services.GetRequiredService<RabbitMqConsumer>().Duplicates.Should().Be(1);
    }

    [Fact]
    public async Task ABrokerDownAtStart_LeavesLocalDeliveryWorking_ReportsDegraded_AndDrainsWhenItComesUp()
    {
        Received remote = new();
        Received local = new();
        await using TestApp consumer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = "late-" + _exchange; o.Receive.Add("order.#"); }, bus => bus.Subscribe("order.#", remote.Add));
        await node.StopAsync();
        TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); }, bus => bus.Subscribe("order.#", local.Add));
        try
        {
            RabbitMqHealthCheck health = producer.Host.Services.GetRequiredService<RabbitMqHealthCheck>();
            for (int i = 0; i < 20; i++)
            {
                await producer.Bus.PublishAsync(new EventBuilder("order.paid").WithWorkflow("order-" + (i % 3)).Build());
            }

            await local.WaitForAsync(20);
            HealthCheckResult down = await health.CheckHealthAsync(new HealthCheckContext());
            down.Status.Should().Be(HealthStatus.Degraded);
            down.Description.Should().Contain("not connected").And.Contain("local delivery goes on");

            await node.StartAsync();
            await remote.WaitForAsync(20);
            remote.Events.Select(e => e.Id).Distinct().Should().BeEquivalentTo(local.Events.Select(e => e.Id));
            (await health.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);
        }
        finally
        {
            await producer.DisposeAsync();
        }
    }
}
