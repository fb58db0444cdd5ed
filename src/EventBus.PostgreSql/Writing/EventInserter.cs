using Npgsql;
using NpgsqlTypes;

namespace EventBus.PostgreSql;

/// <summary>
/// Writes a group of appends in one transaction (a small group of plain events takes <see cref="SmallGroupInsert"/>),
/// in three round trips: the append lock with what the group must check (the highest position, which of its ids are
/// stored, its streams' versions), the events by binary <c>COPY</c> (a stream's event with its stream and version), and
/// a notification on the schema's channel (delivered when the transaction commits, it wakes the readers of the log in
/// other instances). Positions follow the highest one under the lock, so they are assigned and become visible in order
/// across instances. A request that can not be written (a version conflict, an event already stored) is refused alone;
/// plain events already stored are skipped, as an append of the same event twice is one event.
/// </summary>
internal sealed class EventInserter(string schema, long lockKey)
{
    /// <summary>Gets the channel that committed appends notify, with their last position as the payload.</summary>
    public string Channel { get; } = "eventbus_" + schema;

    internal const string Columns = "position, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata";

    /// <summary>Takes the append lock and writes what the requests allow; the caller commits.</summary>
    /// <param name="connection">The connection of <paramref name="transaction"/>.</param>
    /// <param name="transaction">The transaction to write in.</param>
    /// <param name="requests">The group, in queue order.</param>
    /// <param name="checkStored">
    /// Whether to look the group's ids up first, so that events already stored are skipped (plain) or refused (streams).
    /// Without it the write is faster, and a stored id fails it with a unique violation (<see cref="IsDuplicate"/>):
    /// then write the group again, checking.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The position of the last event written, or 0 when none was.</returns>
    public async Task<long> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AppendRequest> requests, bool checkStored, CancellationToken cancellationToken)
    {
        if (SmallGroupInsert.Fits(requests))
        {
            return await SmallGroupInsert.WriteAsync(connection, transaction, schema, lockKey, Channel, requests, cancellationToken).ConfigureAwait(false);
        }

        (long last, HashSet<Guid> stored, Dictionary<string, long> versions) = await LockAndReadAsync(connection, transaction, requests, checkStored, cancellationToken).ConfigureAwait(false);
        List<Row> rows = [];
        foreach (AppendRequest request in requests)
        {
            if (request.StreamId is not { } stream)
            {
                foreach (EncodedEvent encoded in request.Events)
                {
                    // Stored already, or earlier in this group: the same event appended twice is one event.
                    if (stored.Add(encoded.Envelope.Id))
                    {
                        rows.Add(new Row(encoded, ++last, null, 0));
                    }
                }

                continue;
            }

            long actual = versions.GetValueOrDefault(stream);
            if (request.ExpectedVersion != StreamVersion.Any && request.ExpectedVersion != actual)
            {
                request.Refusal = new StreamVersionConflictException(stream, request.ExpectedVersion, actual);
                continue;
            }

            if (FirstKnown(request.Events, stored) is { } known)
            {
                request.Refusal = StoreGuards.AlreadyStored(stream, [.. request.Events.Select(e => e.Envelope)], known);
                continue;
            }

            foreach (EncodedEvent encoded in request.Events)
            {
                stored.Add(encoded.Envelope.Id);
                rows.Add(new Row(encoded, ++last, stream, ++actual));
            }

            versions[stream] = actual;
            request.Result = actual;
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        await CopyEventsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, transaction, last, cancellationToken).ConfigureAwait(false);

        return last;
    }

    /// <summary>Whether <paramref name="exception"/> is the unique violation of an event id that was already stored.</summary>
    public static bool IsDuplicate(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "events_id_key" };

    /// <summary>An id of <paramref name="events"/> that is stored, earlier in the group, or twice in the request.</summary>
    private static Guid? FirstKnown(EncodedEvent[] events, HashSet<Guid> stored)
    {
        HashSet<Guid> own = [];
        foreach (EncodedEvent encoded in events)
        {
            Guid id = encoded.Envelope.Id;
            if (stored.Contains(id) || !own.Add(id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>One round trip: the lock (which also begins the transaction), then what the group is checked against.</summary>
    private async Task<(long Last, HashSet<Guid> Stored, Dictionary<string, long> Versions)> LockAndReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AppendRequest> requests, bool checkStored, CancellationToken cancellationToken)
    {
        // Looking 1,000 ids up costs about as much as writing them; most appends are of new events.
        Guid[] ids = checkStored ? [.. requests.SelectMany(r => r.Events).Select(e => e.Envelope.Id)] : [];
        string[] streams = [.. requests.Select(r => r.StreamId).OfType<string>().Distinct(StringComparer.Ordinal)];
        NpgsqlBatch batch = new(connection, transaction);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable batchScope = batch.ConfigureAwait(false);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({lockKey})"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT coalesce(max(position), 0) FROM {schema}.events"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT id FROM {schema}.events WHERE id = ANY($1)") { Parameters = { new NpgsqlParameter { Value = ids } } });
        // Each stream's version from the end of its range of the stream index.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT s.id, (SELECT max(stream_version) FROM {schema}.events WHERE stream_id = s.id) FROM unnest($1) AS s(id)")
        {
            Parameters = { new NpgsqlParameter { Value = streams, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
        });
        NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        long last = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        HashSet<Guid> stored = [];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(reader.GetGuid(0));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, long> versions = new(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions[reader.GetString(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }

        return (last, stored, versions);
    }

    /// <summary>The events in PostgreSQL's binary COPY format: no SQL to parse per row, no arrays to unpack.</summary>
    private async Task CopyEventsAsync(NpgsqlConnection connection, List<Row> rows, CancellationToken cancellationToken)
    {
        NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync($"COPY {schema}.events ({Columns}, stream_id, stream_version) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable importerScope = importer.ConfigureAwait(false);
        foreach ((EncodedEvent encoded, long position, string? stream, long version) in rows)
        {
            EventEnvelope e = encoded.Envelope;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(position, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((int)e.Kind, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.Source, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, e.Target, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, e.WorkflowId, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, e.Phase, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, e.CorrelationId, cancellationToken).ConfigureAwait(false);
            await (e.CausationId is { } causation ? importer.WriteAsync(causation, NpgsqlDbType.Uuid, cancellationToken) : importer.WriteNullAsync(cancellationToken)).ConfigureAwait(false);
            await importer.WriteAsync(e.Timestamp.UtcTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await (e.ExpiresAt is { } expiry ? importer.WriteAsync(expiry.UtcTicks, NpgsqlDbType.Bigint, cancellationToken) : importer.WriteNullAsync(cancellationToken)).ConfigureAwait(false);
            await importer.WriteAsync((int)e.Priority, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.SchemaVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await (e.Persistence is { } level ? importer.WriteAsync((int)level, NpgsqlDbType.Integer, cancellationToken) : importer.WriteNullAsync(cancellationToken)).ConfigureAwait(false);
            await WriteTextAsync(importer, encoded.PayloadType, cancellationToken).ConfigureAwait(false);
            await (encoded.Payload is { } payload ? importer.WriteAsync(payload, NpgsqlDbType.Bytea, cancellationToken) : importer.WriteNullAsync(cancellationToken)).ConfigureAwait(false);
            await WriteTextAsync(importer, encoded.Metadata, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, stream, cancellationToken).ConfigureAwait(false);
            await (stream is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken)).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? text, CancellationToken cancellationToken) =>
        text is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);

    private async Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long last, CancellationToken cancellationToken)
    {
        NpgsqlCommand notify = new("SELECT pg_notify($1, $2)", connection, transaction)
        {
            Parameters = { new NpgsqlParameter { Value = Channel }, new NpgsqlParameter { Value = last.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        };
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable notifyScope = notify.ConfigureAwait(false);
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An event to write: its position, and its stream and version if it joins one.</summary>
    private readonly record struct Row(EncodedEvent Event, long Position, string? Stream, long Version);
}
