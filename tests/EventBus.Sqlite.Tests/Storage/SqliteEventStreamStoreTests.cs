using EventBus.Tests.Storage;

namespace EventBus.Sqlite.Tests.Storage;

/// <summary>The stream contract on SQLite: each opened store is its own writer and connection on one file, as separate processes would be.</summary>
public sealed class SqliteEventStreamStoreTests : EventStreamStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AStream_SurvivesReopeningTheFile()
    {
        EventEnvelope first = Event(1);
        await using (IEventStore store = await OpenStoreAsync())
        {
            await ((IEventStreamStore)store).AppendToStreamAsync("order-1", StreamVersion.NoStream, [first, Event(2)]);
            await ((ISnapshotStore)store).SaveSnapshotAsync("order-1", 2, new Tally(2, 3));
        }

        await using SqliteEventStore reopened = new(new SqliteEventStoreOptions { Path = _database.Path, TimeProvider = Time });

        (await reopened.GetStreamVersionAsync("order-1")).Should().Be(2);
        (await reopened.ReadStreamAsync("order-1").FirstAsync()).Event.Id.Should().Be(first.Id);
        (await reopened.LoadSnapshotAsync<Tally>("order-1"))!.State.Should().Be(new Tally(2, 3));
    }

    [Fact]
    public async Task ARefusedAppend_LeavesTheRestOfItsWriteBatchCommitted()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path, TimeProvider = Time });
        await store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [Event(1)]);
        EventEnvelope plain = Event(2);
        EventEnvelope refused = Event(3);

        // Queued together, they are likely to share the writer's transaction; either way, only the stale append fails.
        ValueTask plainAppend = store.AppendAsync(plain, PersistenceLevel.Critical);
        ValueTask<long> staleAppend = store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [refused]);
        await plainAppend;
        Func<Task> stale = async () => await staleAppend;

        await stale.Should().ThrowAsync<StreamVersionConflictException>();
        (await store.GetAsync(plain.Id)).Should().NotBeNull();
        (await store.GetAsync(refused.Id)).Should().BeNull();
    }

    [Fact]
    public async Task ALongStream_ReadsAcrossPages()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path, TimeProvider = Time });
        EventEnvelope[] events = [.. Enumerable.Range(0, EventQuery.MaxPageSize + 5).Select(Event)];
        await store.AppendToStreamAsync("long", StreamVersion.NoStream, events);

        List<StreamEvent> read = await store.ReadStreamAsync("long").ToListAsync();

        read.Select(e => e.Version).Should().Equal(Enumerable.Range(1, events.Length).Select(v => (long)v));
        read.Select(e => e.Event.Id).Should().Equal(events.Select(e => e.Id));
    }

    protected override Task<IEventStore> OpenStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteEventStoreOptions { Path = _database.Path, TimeProvider = Time, BatchSize = 64 }));
}
