using EventBus.Tests.Storage;

namespace EventBus.Sqlite.Tests.Storage;

public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteEventStoreOptions { Path = _database.Path, TimeProvider = Time, BatchSize = 64, Catalog = Catalog }));
}
