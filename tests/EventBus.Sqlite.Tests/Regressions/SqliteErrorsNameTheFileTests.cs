using EventBus.Sqlite.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite.Tests.Regressions;

/// <summary>
/// SQLite errors other than "not a database" reached callers raw ("unable to open database file", "database disk image
/// is malformed"), naming neither the file nor a fix. Every such error is now an <see cref="EventStoreException"/> that
/// names the file and says what to do, with SQLite's exception inside.
/// </summary>
public sealed class SqliteErrorsNameTheFileTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void AFileInAFolderThatDoesNotExist_IsRefusedWithThePathAndTheFix()
    {
        string path = Path.Combine(Path.GetDirectoryName(_database.Path)!, "no-such-folder", "events.db");

        Func<SqliteEventStore> open = () => new SqliteEventStore(new SqliteEventStoreOptions { Path = path });

        open.Should().Throw<EventStoreException>()
            .WithMessage($"Opening the event store '{path}' failed*check that its folder exists*")
            .WithInnerException<SqliteException>();
    }

    [Fact]
    public void APathThatIsAFolder_IsRefusedWithThePathAndTheFix()
    {
        string path = Path.GetDirectoryName(_database.Path)!;

        Func<SqliteEventStore> open = () => new SqliteEventStore(new SqliteEventStoreOptions { Path = path });

        open.Should().Throw<EventStoreException>().WithMessage($"*'{path}'*");
    }

    [Fact]
    public async Task CorruptPages_AreReportedOnReadWithThePathAndTheFix()
    {
        await using (SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path }))
        {
            await store.AppendBatchAsync([.. Enumerable.Range(0, 2_000).Select(i => new EventBuilder("corrupt.me").WithWorkflow("wf-" + i).WithData(new string('x', 200)).Build())], PersistenceLevel.Critical);
        }

        SqliteConnection.ClearAllPools();
        Checkpoint();
        using (FileStream file = File.Open(_database.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            // Leave the header page alone, so the file still opens, and overwrite the pages after it.
            file.Position = 4096;
            file.Write([.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 7 + 3))]);
        }

        Func<Task> read = async () =>
        {
            await using SqliteEventStore reopened = new(new SqliteEventStoreOptions { Path = _database.Path });
            await reopened.QueryAsync(new EventQuery { TypePattern = "corrupt.me", PageSize = 5_000 });
        };

        (await read.Should().ThrowAsync<EventStoreException>())
            .WithMessage($"*event store '{_database.Path}' failed*corrupt or not a SQLite database*move it*aside*");
    }

    private void Checkpoint()
    {
        using SqliteConnection connection = new($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
