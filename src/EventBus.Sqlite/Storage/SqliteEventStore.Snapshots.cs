using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// Snapshots: the state as JSON (the store's <see cref="SqliteEventStoreOptions.JsonOptions"/>), read back into the
/// type the caller names; no type name is stored. A save is its own short transaction on the file.
/// </summary>
public sealed partial class SqliteEventStore : ISnapshotStore
{
    /// <inheritdoc />
    public ValueTask SaveSnapshotAsync<TState>(string streamId, long version, TState state, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidSnapshot(streamId, version);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(state, _payloads.Contract<TState>());
        try
        {
            using SqliteConnection connection = Open();
            using sqlite3_stmt statement = RawSql.Prepare(
                connection,
                "INSERT INTO snapshots (stream_id, version, state, taken_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, state = excluded.state, taken_at = excluded.taken_at WHERE excluded.version >= snapshots.version;");
            RawSql.BindText(statement, 1, streamId);
            raw.sqlite3_bind_int64(statement, 2, version);
            raw.sqlite3_bind_blob(statement, 3, json);
            raw.sqlite3_bind_int64(statement, 4, _options.TimeProvider.GetUtcNow().UtcTicks);
            RawSql.Step(connection, statement);
            return ValueTask.CompletedTask;
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "saving a snapshot to");
        }
    }

    /// <inheritdoc />
    /// <exception cref="JsonException">The stored state does not fit <typeparamref name="TState"/>.</exception>
    public ValueTask<Snapshot<TState>?> LoadSnapshotAsync<TState>(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        try
        {
            using SqliteConnection connection = Open();
            using sqlite3_stmt statement = RawSql.Prepare(connection, "SELECT version, state, taken_at FROM snapshots WHERE stream_id = ?1;");
            RawSql.BindText(statement, 1, streamId);
            if (!RawSql.Next(connection, statement))
            {
                return ValueTask.FromResult<Snapshot<TState>?>(null);
            }

            TState state = JsonSerializer.Deserialize(raw.sqlite3_column_blob(statement, 1), _payloads.Contract<TState>())!;
            DateTimeOffset takenAt = new(raw.sqlite3_column_int64(statement, 2), TimeSpan.Zero);
            return ValueTask.FromResult<Snapshot<TState>?>(new Snapshot<TState>(streamId, raw.sqlite3_column_int64(statement, 0), state, takenAt));
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "loading a snapshot from");
        }
    }
}
