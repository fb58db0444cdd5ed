using EventBus.Sqlite.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite.Tests.Regressions;

/// <summary>
/// Saving a snapshot right after an append failed now and then with "database is locked": the snapshot's statement ran on
/// SQLite's own API, which has no retry on a busy file, while the store's writer held the write lock for its commit. Such
/// statements now wait for the lock as the store's commands do.
/// </summary>
public sealed class WritesBesideTheWriterWaitForTheLockTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ASnapshotSavedWhileAnotherConnectionHoldsTheWriteLock_WaitsForIt_AndIsSaved()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        using SqliteConnection holder = new($"Data Source={_database.Path};Pooling=False");
        holder.Open();
        using SqliteTransaction writeLock = holder.BeginTransaction(deferred: false);

        Task save = Task.Run(async () => await store.SaveSnapshotAsync("order-1", 3, "state at 3"));

        // The save meets the held lock: without waiting for it, it fails at once; give it that chance, then let go.
        Task first = await Task.WhenAny(save, Task.Delay(TimeSpan.FromMilliseconds(500)));
        first.Should().NotBeSameAs(save, "the save waits for the lock instead of failing");
        writeLock.Commit();
        await save.WaitAsync(TimeSpan.FromSeconds(30));

        (await store.LoadSnapshotAsync<string>("order-1"))!.State.Should().Be("state at 3");
    }
}
