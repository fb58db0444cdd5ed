namespace EventBus.Tests.Storage;

public sealed class InMemoryEventStoreTests : EventStoreContract
{
    [Fact]
    public async Task AFullStore_EvictsTheOldest_AndCountsIt()
    {
        await using InMemoryEventStore store = new(capacity: 3, Time);
        EventEnvelope[] events = [.. Enumerable.Range(0, 5).Select(i => Event("bounded.event", data: i))];

        await store.AppendBatchAsync(events);

        (await store.CountAsync()).Should().Be(3);
        store.Evicted.Should().Be(2);
        (await store.GetAsync(events[0].Id)).Should().BeNull();
        (await store.QueryAsync(new EventQuery())).Events.Select(e => e.GetData<int>()).Should().Equal(2, 3, 4);
    }

    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new InMemoryEventStore(timeProvider: Time));
}
