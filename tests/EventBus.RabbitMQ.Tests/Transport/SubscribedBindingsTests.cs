using EventBus.RabbitMQ.Tests.Broker;
using EventBus.RabbitMQ.Tests.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.RabbitMQ.Tests.Transport;

[Collection(SharedBroker.Name)]
public sealed class SubscribedBindingsTests(RabbitMqNode node)
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task WithReceiveSubscribed_TheQueueIsBoundAsTheLiveSubscriptionsImply_InStepAsTheyComeAndGo()
    {
        string queue = "follow-" + _exchange;
        Received orders = new();
        Received stock = new();
        await using TestApp app = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.QueueName = queue; o.ReceiveSubscribed = true; }, bus => bus.Subscribe("order.*", orders.Add));
        RabbitMqConsumer consumer = app.Host.Services.GetRequiredService<RabbitMqConsumer>();
        IReadOnlyCollection<string> atStart = consumer.Bindings;
        string[] brokerAtStart = await BrokerBindingsAsync(queue);

        ISubscription stockItems = app.Bus.Subscribe(EventFilter.Types("stock.created", "stock.item.created"), stock.Add);
        await consumer.UpdateBindingsAsync();
        string[] brokerWithStock = await BrokerBindingsAsync(queue);
        await using (TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("#"); }))
        {
            await producer.Bus.PublishAsync(new EventBuilder("stock.created").Build());
            await producer.Bus.PublishAsync(new EventBuilder("order.paid").Build());
            await stock.WaitForAsync(1);
            await orders.WaitForAsync(1);
        }

        await stockItems.UnsubscribeAsync();
        await consumer.UpdateBindingsAsync();

        atStart.Should().BeEquivalentTo(["order.*"]);
        brokerAtStart.Should().BeEquivalentTo(["order.*"]);
        brokerWithStock.Should().BeEquivalentTo(["order.*", "stock.created", "stock.item.created"]);
        (await BrokerBindingsAsync(queue)).Should().BeEquivalentTo(["order.*"], "the binding went with the last subscription that needed it");
        consumer.Bindings.Should().BeEquivalentTo(["order.*"]);
    }

    [Fact]
    public async Task AnApplication_DoesNotGetItsOwnEventsBackFromItsQueue_AndFiltersImplyTheirTypePatterns()
    {
        string queue = "own-" + _exchange;
        Received orders = new();
        await using TestApp app = await TestApp.StartAsync(
            node,
            o => { o.Exchange = _exchange; o.QueueName = queue; o.Receive.Add("order.#"); o.Publish.Add("order.#"); },
            bus => bus.Subscribe("order.#", orders.Add));
        await using TestApp other = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); });
        RabbitMqConsumer consumer = app.Host.Services.GetRequiredService<RabbitMqConsumer>();

        // Waits for every handler, the relay's too, which returns once the broker confirmed: the own event is in the queue.
        await app.Bus.PublishAndWaitAsync(new EventBuilder("order.placed").WithData(new OrderPlaced("o-1", 2m)).Build());
        await orders.WaitForAsync(1);

        // Queued behind the application's own event: once it is handled, the own one was settled before it.
        await other.Bus.PublishAsync(new EventBuilder("order.paid").Build());
        await orders.WaitForAsync(2);
        await app.Bus.WaitForIdleAsync();

        orders.Events.Select(e => e.Type).Should().Equal(["order.placed", "order.paid"], "the own event was handled once, locally");
        consumer.Echoes.Should().Be(1);
        EventFilter.Where(_ => true).ImpliedTypePatterns.Should().BeNull();
        EventFilter.AnyOf(EventFilter.Pattern("a.*"), EventFilter.Type("b")).ImpliedTypePatterns.Should().BeEquivalentTo(["a.*", "b"]);
        EventFilter.AnyOf(EventFilter.Pattern("a.*"), EventFilter.Where(_ => true)).ImpliedTypePatterns.Should().BeNull();
        EventFilter.Pattern("a.#").And(EventFilter.Kind(EventKind.Command)).ImpliedTypePatterns.Should().Equal("a.#");
    }

    private async Task<string[]> BrokerBindingsAsync(string queue)
    {
        string table = await node.CtlAsync("list_bindings", "-q", "--no-table-headers", "source_name", "destination_name", "routing_key");
        return [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 3 && columns[0] == _exchange && columns[1] == queue)
            .Select(columns => columns[2].Trim())];
    }
}
