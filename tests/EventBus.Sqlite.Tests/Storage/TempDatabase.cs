using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite.Tests.Storage;

/// <summary>A database path in a directory of its own, removed with everything SQLite left beside it (WAL and shared-memory files).</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventbus-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "events.db");

    /// <summary>Runs SQL on the file outside any store, as another program (or an older version) would.</summary>
    public void Execute(string sql)
    {
        using SqliteConnection connection = new($"Data Source={Path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public string Pragma(string name)
    {
        using SqliteConnection connection = new($"Data Source={Path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
