namespace EventBus.Sqlite.Tests.Storage;

/// <summary>
/// The write-ahead log is checkpointed by a connection of its own, not inside the writer's commits (where SQLite's
/// automatic checkpoint would hold up every append queued behind that commit), and it stays bounded.
/// </summary>
public sealed class SqliteWalCheckpointTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AfterAboutAThousandPagesOfWriting_TheLogIsCheckpointedInTheBackground_AndTheFileStaysBounded()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        string body = new('x', 1_000);
        const int Rounds = 12;
        for (int round = 0; round < Rounds; round++)
        {
            Task checkpointed = store.NextWalCheckpoint;
            await WriteAsync(store, 1_000, body);
            await checkpointed.WaitAsync(Hang);
        }

        long walBytes = new FileInfo(_database.Path + "-wal").Length;

        store.WalCheckpoints.Should().BeGreaterThanOrEqualTo(Rounds);
        walBytes.Should().BeLessThan(Rounds * 1_000 * 1_000 / 3, "each checkpoint let the writer start the log over instead of growing it by every event written");
        (await store.ReadAfterAsync(0, 20_000)).Events.Should().HaveCount(Rounds * 1_000);
    }

    [Fact]
    public async Task TheWritersConnection_LeavesCheckpointsToTheCheckpointer()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        Task checkpointed = store.NextWalCheckpoint;

        // Fewer rows and commits than a checkpoint waits for: nothing checkpoints the log yet, so every frame is in it.
        await WriteAsync(store, 200, new string('x', 1_000));

        checkpointed.IsCompleted.Should().BeFalse();
        store.WalCheckpoints.Should().Be(0);
        new FileInfo(_database.Path + "-wal").Length.Should().BeGreaterThan(200 * 1_000);
    }

    private static async Task WriteAsync(SqliteEventStore store, int count, string body)
    {
        for (int written = 0; written < count; written += 100)
        {
            EventEnvelope[] batch = [.. Enumerable.Range(0, 100).Select(_ => new EventBuilder("order.placed").WithData(body).Build())];
            await store.AppendBatchAsync(batch, PersistenceLevel.Critical);
        }
    }
}
