using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>The single writer: takes what is queued, up to a batch, and commits it in one transaction.</summary>
public sealed partial class SqliteEventStore
{
    private const string InsertSql = """
        INSERT OR IGNORE INTO events
            (position, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata)
        VALUES
            (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18);
        """;

    private async Task WriteLoopAsync()
    {
        using SqliteConnection connection = Open();
        using (SqliteCommand pragma = connection.CreateCommand())
        {
            // A large page cache keeps the indexes' hot pages in memory while batches land.
            pragma.CommandText = (_options.SyncEveryCommit ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") + " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";
            pragma.ExecuteNonQuery();
        }

        // The single writer numbers events itself, which spares SQLite a lookup per insert.
        long position;
        using (SqliteCommand last = connection.CreateCommand())
        {
            last.CommandText = "SELECT coalesce(max(position), 0) FROM events;";
            position = (long)last.ExecuteScalar()!;
        }

        // The insert binds by index on SQLite's own statement: SqliteCommand would look each of the 18 parameters up by
        // name and box its value on every execution, which costs more than the insert itself.
        using sqlite3_stmt insert = RawSql.Prepare(connection, InsertSql);
        List<WriteRequest> batch = [];
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int events = 0;
            while (events < _options.BatchSize && _writes.Reader.TryRead(out WriteRequest request))
            {
                batch.Add(request);
                events += request.One is null ? request.Many?.Length ?? 0 : 1;
            }

            position = Commit(connection, insert, batch, position);
            batch.Clear();
        }
    }

    /// <summary>Writes a batch in one transaction; returns the last position used (unchanged when the batch failed).</summary>
    private long Commit(SqliteConnection connection, sqlite3_stmt insert, List<WriteRequest> batch, long position)
    {
        long next = position;
        Exception? failure = null;
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            foreach (WriteRequest request in batch)
            {
                if (request.One is { } one)
                {
                    Insert(connection, insert, one, ++next);
                }

                foreach (StoredRow row in request.Many ?? [])
                {
                    Insert(connection, insert, row, ++next);
                }
            }

            transaction.Commit();
        }
#pragma warning disable CA1031 // A failed batch is reported to its waiting appenders and logged; the writer goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }

        foreach (WriteRequest request in batch)
        {
            if (request.Committed is null)
            {
                if (failure is not null && (request.One is not null || request.Many is not null))
                {
                    Interlocked.Increment(ref _writeFailures);
                    Log.WriteFailed(_logger, failure, _options.Path);
                }
            }
            else if (failure is null)
            {
                request.Committed.TrySetResult();
            }
            else
            {
                request.Committed.TrySetException(new EventStoreException($"Writing to the event store '{_options.Path}' failed: {failure.Message}", failure));
            }
        }

        return failure is null ? next : position;
    }

    private static void Insert(SqliteConnection connection, sqlite3_stmt insert, StoredRow row, long position)
    {
        EventEnvelope envelope = row.Envelope;
        raw.sqlite3_bind_int64(insert, 1, position);
        raw.sqlite3_bind_blob(insert, 2, row.Id);
        RawSql.BindText(insert, 3, envelope.Type);
        raw.sqlite3_bind_int(insert, 4, (int)envelope.Kind);
        RawSql.BindText(insert, 5, envelope.Source);
        RawSql.BindText(insert, 6, envelope.Target);
        RawSql.BindText(insert, 7, envelope.WorkflowId);
        RawSql.BindText(insert, 8, envelope.Phase);
        RawSql.BindText(insert, 9, envelope.CorrelationId);
        RawSql.BindBlob(insert, 10, row.Causation);
        raw.sqlite3_bind_int64(insert, 11, envelope.Timestamp.UtcTicks);
        RawSql.BindInt64(insert, 12, envelope.ExpiresAt?.UtcTicks);
        raw.sqlite3_bind_int(insert, 13, (int)envelope.Priority);
        raw.sqlite3_bind_int(insert, 14, envelope.SchemaVersion);
        RawSql.BindInt64(insert, 15, envelope.Persistence is { } level ? (int)level : null);
        RawSql.BindText(insert, 16, row.PayloadType);
        RawSql.BindBlob(insert, 17, row.Payload);
        RawSql.BindText(insert, 18, row.Metadata);
        RawSql.Step(connection, insert);
    }
}
