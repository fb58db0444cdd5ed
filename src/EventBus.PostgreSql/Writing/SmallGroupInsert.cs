using Npgsql;
using NpgsqlTypes;

namespace EventBus.PostgreSql;

/// <summary>
/// The write of a small group of plain events (concurrent critical appends, typically one event each): one round trip
/// before the commit. The lock, the insert and the notification travel as one batch; positions are numbered by the
/// server after the highest one, under the lock, and an event already stored is skipped by the unique index. Streams
/// and large groups take <see cref="EventInserter"/>'s checked path and binary COPY.
/// </summary>
internal static class SmallGroupInsert
{
    /// <summary>Groups up to this many plain events take this path: past it, COPY's per-row cost is lower.</summary>
    public const int MaxEvents = 64;

    public static bool Fits(IReadOnlyList<AppendRequest> requests)
    {
        int events = 0;
        foreach (AppendRequest request in requests)
        {
            if (request.StreamId is not null)
            {
                return false;
            }

            events += request.Events.Length;
        }

        return events <= MaxEvents;
    }

    /// <returns>The highest position after the insert.</returns>
    public static async Task<long> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, long lockKey, string channel, IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken)
    {
        List<EncodedEvent> events = [.. requests.SelectMany(r => r.Events)];
        NpgsqlBatch batch = new(connection, transaction);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable batchScope = batch.ConfigureAwait(false);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({lockKey})"));
        NpgsqlBatchCommand insert = new(
            $"""
            INSERT INTO {schema}.events ({EventInserter.Columns})
            SELECT (SELECT coalesce(max(position), 0) FROM {schema}.events) + r.n, r.id, r.type, r.kind, r.source, r.target, r.workflow_id, r.phase, r.correlation_id, r.causation_id, r.timestamp, r.expires_at, r.priority, r.schema_version, r.persistence, r.payload_type, r.payload, r.metadata
            FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) WITH ORDINALITY
                AS r(id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata, n)
            ON CONFLICT (id) DO NOTHING
            """);
        AddColumns(insert.Parameters, events);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_notify($1, last::text), last FROM (SELECT coalesce(max(position), 0) AS last FROM {schema}.events) AS highest")
        {
            Parameters = { new NpgsqlParameter { Value = channel } },
        });
        NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        // The lock's result has one column, the notification's two (the insert returns none).
        do
        {
            if (reader.FieldCount == 2 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return reader.GetInt64(1);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        throw new InvalidOperationException("The highest position was not returned.");
    }

    /// <summary>The events' columns as arrays, which travel in Npgsql's binary format and unnest into rows.</summary>
    private static void AddColumns(NpgsqlParameterCollection parameters, List<EncodedEvent> events)
    {
        void Add<T>(Func<EncodedEvent, T> column, NpgsqlDbType type) =>
            parameters.Add(new NpgsqlParameter { Value = events.Select(column).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });

        Add(e => e.Envelope.Id, NpgsqlDbType.Uuid);
        Add(e => e.Envelope.Type, NpgsqlDbType.Text);
        Add(e => (int)e.Envelope.Kind, NpgsqlDbType.Integer);
        Add(e => e.Envelope.Source, NpgsqlDbType.Text);
        Add(e => e.Envelope.Target, NpgsqlDbType.Text);
        Add(e => e.Envelope.WorkflowId, NpgsqlDbType.Text);
        Add(e => e.Envelope.Phase, NpgsqlDbType.Text);
        Add(e => e.Envelope.CorrelationId, NpgsqlDbType.Text);
        Add(e => e.Envelope.CausationId, NpgsqlDbType.Uuid);
        Add(e => e.Envelope.Timestamp.UtcTicks, NpgsqlDbType.Bigint);
        Add(e => e.Envelope.ExpiresAt?.UtcTicks, NpgsqlDbType.Bigint);
        Add(e => (int)e.Envelope.Priority, NpgsqlDbType.Integer);
        Add(e => e.Envelope.SchemaVersion, NpgsqlDbType.Integer);
        Add(e => (int?)e.Envelope.Persistence, NpgsqlDbType.Integer);
        Add(e => e.PayloadType, NpgsqlDbType.Text);
        Add(e => e.Payload, NpgsqlDbType.Bytea);
        Add(e => e.Metadata, NpgsqlDbType.Text);
    }
}
