using EventBus.RabbitMQ.Tests.Broker;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>
/// With partitions, events of one ordering key go to one partition queue that one instance consumes at a time: when that
/// instance goes away mid-stream, another takes over the partition where it stopped, and each key's events are still
/// handled in publish order across the two instances.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class PartitionedOrderTests(RabbitMqNode node)
{
    private readonly string _exchange = "ex-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task EventsOfOneKey_StayInOrder_WhenAnotherInstanceTakesOverAPartition()
    {
        const int Keys = 8;
        const int PerKey = 25;
        string queue = "orders-" + _exchange;
        Received first = new();
        Received second = new();
        void Configure(RabbitMqOptions o)
        {
            o.Exchange = _exchange;
            o.QueueName = queue;
            o.Partitions = 4;
            o.Prefetch = 5;
            o.Receive.Add("order.#");
        }

        TestApp firstInstance = await TestApp.StartAsync(node, Configure, bus => bus.Subscribe("order.#", first.Add));
        await using TestApp secondInstance = await TestApp.StartAsync(node, Configure, bus => bus.Subscribe("order.#", second.Add));
        await using TestApp producer = await TestApp.StartAsync(node, o => { o.Exchange = _exchange; o.Publish.Add("order.#"); });
        for (int sequence = 0; sequence < PerKey; sequence++)
        {
            for (int key = 0; key < Keys; key++)
            {
                await producer.Bus.PublishAsync(new EventBuilder("order.paid").WithWorkflow($"order-{key}").WithMetadata("sequence", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)).Build());
            }
        }

        // The first instance is active on every partition; it goes away part of the way through.
        await first.WaitForAsync(Keys * PerKey / 3);
        await firstInstance.DisposeAsync();
        try
        {
            await WaitForDistinctAsync(first, second, Keys * PerKey);
        }
        catch (TimeoutException timeout)
        {
            // Tells a takeover that stalled (messages ready, no consumer getting them) from messages that are gone.
            string queues = await node.CtlAsync("list_queues", "-q", "name", "type", "messages_ready", "messages_unacknowledged", "consumers");
            throw new TimeoutException($"{first.Events.Count} handled by the first instance, {second.Events.Count} by the second; queues:\n{queues}", timeout);
        }

        // The first instance stopped gracefully: every message it handled was acknowledged, and the broker took the
        // acknowledgements before its channel closed, so the second instance handles none of them again.
        first.Events.Concat(second.Events).Select(e => e.Id).Should().OnlyHaveUniqueItems();
        foreach (IGrouping<string?, EventEnvelope> key in first.Events.Concat(second.Events).GroupBy(e => e.WorkflowId))
        {
            int[] order = [.. key.Select(e => int.Parse(e.Metadata["sequence"], System.Globalization.CultureInfo.InvariantCulture))];
            order.Should().Equal(Enumerable.Range(0, PerKey), $"the events of {key.Key} are handled in publish order across both instances");
        }

        second.Events.Should().NotBeEmpty("the second instance took over");
    }

    private static async Task WaitForDistinctAsync(Received first, Received second, int count)
    {
        // Each instance's count only grows; together they cover every event once the distinct ids reach the total. The
        // second's count is taken before the check: were it taken after, the last event could arrive in between, and
        // the wait would be for one more that never comes.
        while (true)
        {
            int secondSoFar = second.Events.Count;
            if (first.Events.Concat(second.Events).Select(e => e.Id).Distinct().Count() >= count)
            {
                return;
            }

            await second.WaitForAsync(secondSoFar + 1);
        }
    }
}
