using System.Collections.Concurrent;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's named subscribers and batches, run.</summary>
public sealed class SubscriberSnippets
{
    [Fact]
    public async Task NamedSubscriber_ManagesItsSubscriptionsTogether()
    {
        await using IEventBus bus = EventBusFactory.Create();
        await bus.StartAsync();
        ConcurrentQueue<string> seen = [];
        void SendInvoice(EventEnvelope e) => seen.Enqueue(e.Type);
        ValueTask RecordPayment(EventEnvelope e, CancellationToken ct)
        {
            seen.Enqueue(e.Type);
            return ValueTask.CompletedTask;
        }

        // begin-snippet: subscribers
        Subscriber billing = bus.CreateSubscriber("billing");       // every subscription carries SubscriberId "billing"
        billing.Subscribe("invoice.*", SendInvoice);
        billing.Subscribe("payment.*", RecordPayment, new SubscriptionOptions { Concurrency = 4 });
        Console.WriteLine(billing.Subscriptions.Count);              // 2
        billing.PauseAll();
        billing.ResumeAll();
        await billing.UnsubscribeAllAsync();
        // end-snippet

        billing.Subscriptions.Should().BeEmpty();
        bus.Subscriptions.Should().BeEmpty();
    }

    [Fact]
    public async Task Batch_ReturnsItsIdAndSize()
    {
        await using IEventBus bus = EventBusFactory.Create();
        await bus.StartAsync();
        EventEnvelope first = EventEnvelope.Create("order.placed"), second = EventEnvelope.Create("order.paid"), third = EventEnvelope.Create("order.shipped");

        // begin-snippet: batch
        BatchPublishResult batch = await bus.PublishBatchAsync([first, second, third]);
        Console.WriteLine($"{batch.BatchId}: {batch.Accepted} of {batch.Size} accepted");   // each event's metadata has batch_id
        // end-snippet

        batch.Size.Should().Be(3);
        batch.Accepted.Should().Be(3);
        batch.Events.Should().OnlyContain(e => e.Metadata[EventMetadataKeys.BatchId] == batch.BatchId.ToString());
    }
}
