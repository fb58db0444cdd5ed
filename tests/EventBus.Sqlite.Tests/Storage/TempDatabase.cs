namespace EventBus.Sqlite.Tests.Storage;

/// <summary>A database path in a directory of its own, removed with everything SQLite left beside it (WAL and shared-memory files).</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventbus-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "events.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
