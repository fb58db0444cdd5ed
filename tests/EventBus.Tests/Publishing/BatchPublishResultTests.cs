using EventBus.Tests.Support;

namespace EventBus.Tests.Publishing;

/// <summary>A batch gets an id and a size, and every event of it carries the batch id, through to the store.</summary>
public sealed class BatchPublishResultTests
{
    [Fact]
    public async Task PublishBatch_ReturnsIdAndSize_AndStampsTheBatchIdOnEveryEvent()
    {
        await using InMemoryEventStore store = new();
        await using IEventBus bus = await Buses.StartedWithStoreAsync(store);
        List<EventEnvelope> received = [];
        Signal delivered = new(3);
        bus.Subscribe("batch.*", e =>
        {
            lock (received)
            {
                received.Add(e);
            }

            delivered.Hit();
        });
        EventEnvelope[] events = [Buses.Event("batch.a"), Buses.Event("batch.b"), Buses.Event("batch.c")];

        BatchPublishResult result = await bus.PublishBatchAsync(events).Within();
        await delivered.WaitAsync();
        await store.FlushAsync();

        result.Size.Should().Be(3);
        result.Accepted.Should().Be(3);
        result.BatchId.Should().NotBeEmpty();
        result.Events.Select(e => e.Id).Should().Equal(events.Select(e => e.Id), "the events keep their ids and order");
        result.Events.Should().OnlyContain(e => e.Metadata[EventMetadataKeys.BatchId] == result.BatchId.ToString());
        received.Should().OnlyContain(e => e.Metadata[EventMetadataKeys.BatchId] == result.BatchId.ToString(), "subscribers see the batch id");
        (await store.GetAsync(events[1].Id))!.Metadata[EventMetadataKeys.BatchId].Should().Be(result.BatchId.ToString(), "the stored event keeps it");
        events[0].Metadata.Should().NotContainKey(EventMetadataKeys.BatchId, "the caller's envelopes are not changed");
    }

    [Fact]
    public async Task PublishBatch_TwoBatches_GetDifferentIds_AndAnEmptyBatchHasSizeZero()
    {
        await using IEventBus bus = await Buses.StartedAsync();

        BatchPublishResult first = await bus.PublishBatchAsync([Buses.Event()]);
        BatchPublishResult second = await bus.PublishBatchAsync([Buses.Event()]);
        BatchPublishResult empty = await bus.PublishBatchAsync([]);

        first.BatchId.Should().NotBe(second.BatchId);
        empty.Size.Should().Be(0);
        empty.Accepted.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatch_InDropWriteMode_ReportsHowManyWereAccepted()
    {
        await using IEventBus bus = Buses.Create(o => { o.Capacity = 2; o.FullMode = BusFullMode.DropWrite; });

        BatchPublishResult result = await bus.PublishBatchAsync([Buses.Event(), Buses.Event(), Buses.Event(), Buses.Event(), Buses.Event()]);

        result.Size.Should().Be(5);
        result.Accepted.Should().Be(2, "the bus, not started, had room for two; the rest were dropped and counted");
        bus.GetStatistics().Dropped.Should().Be(3);
    }

    [Fact]
    public async Task PublishBatch_ReplacesABatchIdTheEventAlreadyCarried()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        EventEnvelope republished = new EventBuilder("batch.again").WithMetadata(EventMetadataKeys.BatchId, "an-older-batch").Build();

        BatchPublishResult result = await bus.PublishBatchAsync([republished]);

        result.Events[0].Metadata[EventMetadataKeys.BatchId].Should().Be(result.BatchId.ToString());
    }
}
