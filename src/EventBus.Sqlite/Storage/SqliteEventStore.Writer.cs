using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>The single writer: takes what is queued, up to a batch, and commits it in one transaction.</summary>
public sealed partial class SqliteEventStore
{
    private const string InsertSql = """
        INSERT OR IGNORE INTO events
            (position, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata)
        VALUES
            ($position, $id, $type, $kind, $source, $target, $workflow, $phase, $correlation, $causation, $timestamp, $expires, $priority, $schema, $persistence, $payloadType, $payload, $metadata);
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

        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = InsertSql;
        SqliteParameter[] parameters = AddParameters(insert);
        List<WriteRequest> batch = [];
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int events = 0;
            while (events < _options.BatchSize && _writes.Reader.TryRead(out WriteRequest request))
            {
                batch.Add(request);
                events += request.One is null ? request.Many?.Length ?? 0 : 1;
            }

            position = Commit(connection, insert, parameters, batch, position);
            batch.Clear();
        }
    }

    /// <summary>Writes a batch in one transaction; returns the last position used (unchanged when the batch failed).</summary>
    private long Commit(SqliteConnection connection, SqliteCommand insert, SqliteParameter[] parameters, List<WriteRequest> batch, long position)
    {
        long next = position;
        Exception? failure = null;
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (WriteRequest request in batch)
            {
                if (request.One is { } one)
                {
                    Insert(insert, parameters, one, ++next);
                }

                foreach (StoredRow row in request.Many ?? [])
                {
                    Insert(insert, parameters, row, ++next);
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

    private static SqliteParameter[] AddParameters(SqliteCommand insert)
    {
        string[] names = ["$position", "$id", "$type", "$kind", "$source", "$target", "$workflow", "$phase", "$correlation", "$causation", "$timestamp", "$expires", "$priority", "$schema", "$persistence", "$payloadType", "$payload", "$metadata"];
        SqliteParameter[] parameters = new SqliteParameter[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            parameters[i] = insert.Parameters.Add(new SqliteParameter { ParameterName = names[i] });
        }

        return parameters;
    }

    private static void Insert(SqliteCommand insert, SqliteParameter[] p, StoredRow row, long position)
    {
        EventEnvelope envelope = row.Envelope;
        p[0].Value = position;
        p[1].Value = row.Id;
        p[2].Value = envelope.Type;
        p[3].Value = (int)envelope.Kind;
        p[4].Value = envelope.Source;
        p[5].Value = (object?)envelope.Target ?? DBNull.Value;
        p[6].Value = (object?)envelope.WorkflowId ?? DBNull.Value;
        p[7].Value = (object?)envelope.Phase ?? DBNull.Value;
        p[8].Value = (object?)envelope.CorrelationId ?? DBNull.Value;
        p[9].Value = (object?)row.Causation ?? DBNull.Value;
        p[10].Value = envelope.Timestamp.UtcTicks;
        p[11].Value = envelope.ExpiresAt is { } expires ? expires.UtcTicks : DBNull.Value;
        p[12].Value = (int)envelope.Priority;
        p[13].Value = envelope.SchemaVersion;
        p[14].Value = envelope.Persistence is { } level ? (int)level : DBNull.Value;
        p[15].Value = (object?)row.PayloadType ?? DBNull.Value;
        p[16].Value = (object?)row.Payload ?? DBNull.Value;
        p[17].Value = (object?)row.Metadata ?? DBNull.Value;
        insert.ExecuteNonQuery();
    }
}
