using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>The single writer: takes what is queued, up to a batch, and commits it in one transaction.</summary>
public sealed partial class SqliteEventStore
{
    private const string InsertSql = """
        INSERT OR IGNORE INTO events
            (id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata)
        VALUES
            ($id, $type, $kind, $source, $target, $workflow, $phase, $correlation, $causation, $timestamp, $expires, $priority, $schema, $persistence, $payloadType, $payload, $metadata);
        """;

    private async Task WriteLoopAsync()
    {
        using SqliteConnection connection = Open();
        using (SqliteCommand pragma = connection.CreateCommand())
        {
            pragma.CommandText = _options.SyncEveryCommit ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
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

            Commit(connection, insert, parameters, batch);
            batch.Clear();
        }
    }

    private void Commit(SqliteConnection connection, SqliteCommand insert, SqliteParameter[] parameters, List<WriteRequest> batch)
    {
        Exception? failure = null;
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (WriteRequest request in batch)
            {
                if (request.One is { } one)
                {
                    Insert(insert, parameters, one);
                }

                foreach (EventEnvelope envelope in request.Many ?? [])
                {
                    Insert(insert, parameters, envelope);
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
    }

    private static SqliteParameter[] AddParameters(SqliteCommand insert)
    {
        string[] names = ["$id", "$type", "$kind", "$source", "$target", "$workflow", "$phase", "$correlation", "$causation", "$timestamp", "$expires", "$priority", "$schema", "$persistence", "$payloadType", "$payload", "$metadata"];
        SqliteParameter[] parameters = new SqliteParameter[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            parameters[i] = insert.Parameters.Add(new SqliteParameter { ParameterName = names[i] });
        }

        return parameters;
    }

    private void Insert(SqliteCommand insert, SqliteParameter[] p, EventEnvelope envelope)
    {
        (string? payloadType, byte[]? payload) = _payloads.Write(envelope.Data);
        p[0].Value = envelope.Id.ToByteArray();
        p[1].Value = envelope.Type;
        p[2].Value = (int)envelope.Kind;
        p[3].Value = envelope.Source;
        p[4].Value = (object?)envelope.Target ?? DBNull.Value;
        p[5].Value = (object?)envelope.WorkflowId ?? DBNull.Value;
        p[6].Value = (object?)envelope.Phase ?? DBNull.Value;
        p[7].Value = (object?)envelope.CorrelationId ?? DBNull.Value;
        p[8].Value = envelope.CausationId is { } causation ? causation.ToByteArray() : DBNull.Value;
        p[9].Value = envelope.Timestamp.UtcTicks;
        p[10].Value = envelope.ExpiresAt is { } expires ? expires.UtcTicks : DBNull.Value;
        p[11].Value = (int)envelope.Priority;
        p[12].Value = envelope.SchemaVersion;
        p[13].Value = envelope.Persistence is { } level ? (int)level : DBNull.Value;
        p[14].Value = (object?)payloadType ?? DBNull.Value;
        p[15].Value = (object?)payload ?? DBNull.Value;
        p[16].Value = (object?)PayloadSerializer.WriteMetadata(envelope.Metadata) ?? DBNull.Value;
        insert.ExecuteNonQuery();
    }
}
