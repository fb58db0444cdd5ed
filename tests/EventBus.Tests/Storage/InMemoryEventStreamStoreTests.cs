namespace EventBus.Tests.Storage;

public sealed class InMemoryEventStreamStoreTests : EventStreamStoreContract
{
    private InMemoryEventStore? _store;

    [Fact]
    public async Task Eviction_KeepsStreams()
    {
        await using InMemoryEventStore store = new(capacity: 2, Time);
        EventEnvelope first = Event(1);
        await store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [first, Event(2), Event(3)]);

        store.Evicted.Should().Be(1);
        (await store.GetAsync(first.Id)).Should().BeNull("the store's log is bounded");
        (await store.GetStreamVersionAsync("order-1")).Should().Be(3, "the stream is not");
    }

    // One store for the whole test: the in-memory store has no connections, so its writers share the instance.
    protected override Task<IEventStore> OpenStoreAsync() => Task.FromResult<IEventStore>(_store ??= new InMemoryEventStore(timeProvider: Time));
}
