using System.Runtime.CompilerServices;
using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// Streams: an append reads the stream's version under the append lock, in the transaction that writes the events, so
/// the check and the write are atomic against every instance; the primary key on (stream, version) backs it up.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async ValueTask<long> AppendToStreamAsync(string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamAppend(streamId, expectedVersion, events);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                NpgsqlCommand current = new($"SELECT coalesce(max(version), 0) FROM {_schema}.streams WHERE stream_id = $1", connection, transaction);
                await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable currentScope = current.ConfigureAwait(false);
                current.Parameters.Add(new NpgsqlParameter { Value = streamId });
                long actual = (long)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (expectedVersion != StreamVersion.Any && expectedVersion != actual)
                {
                    throw new StreamVersionConflictException(streamId, expectedVersion, actual);
                }

                if (events.Count == 0)
                {
                    return actual;
                }

                NpgsqlCommand stored = new($"SELECT id FROM {_schema}.events WHERE id = ANY($1) LIMIT 1", connection, transaction);
                await using (stored.ConfigureAwait(false))
                {
                    stored.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray() });
                    if (await stored.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid known)
                    {
                        throw StoreGuards.AlreadyStored(streamId, events, known);
                    }
                }

                long first = await InsertEventsAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
                NpgsqlCommand versions = new($"INSERT INTO {_schema}.streams (stream_id, version, position) SELECT $1, $2 + n, $3 + n FROM generate_series(1, $4) AS n", connection, transaction);
                await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable versionsScope = versions.ConfigureAwait(false);
                versions.Parameters.Add(new NpgsqlParameter { Value = streamId });
                versions.Parameters.Add(new NpgsqlParameter { Value = actual });
                versions.Parameters.Add(new NpgsqlParameter { Value = first });
                versions.Parameters.Add(new NpgsqlParameter { Value = events.Count });
                await versions.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return actual + events.Count;
            },
            "appending a stream to",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamRead(streamId, fromVersion);
        long next = fromVersion;
        while (true)
        {
            List<long> versions = [];
            List<(long, EventEnvelope Event)> page = await ReadEventsAsync(
                $"SELECT {PrefixedColumns}, s.version FROM {_schema}.streams s JOIN {_schema}.events e ON e.position = s.position WHERE s.stream_id = $1 AND s.version >= $2 ORDER BY s.version LIMIT {EventQuery.MaxPageSize}",
                [new NpgsqlParameter { Value = streamId }, new NpgsqlParameter { Value = next }],
                cancellationToken,
                extraColumn: 18,
                extras: versions).ConfigureAwait(false);
            for (int i = 0; i < page.Count; i++)
            {
                yield return new StreamEvent(streamId, versions[i], page[i].Event);
            }

            if (page.Count < EventQuery.MaxPageSize)
            {
                yield break;
            }

            next = versions[^1] + 1;
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        return await ScalarAsync($"SELECT coalesce(max(version), 0) FROM {_schema}.streams WHERE stream_id = $1", [new NpgsqlParameter { Value = streamId }], "reading a stream's version from", cancellationToken).ConfigureAwait(false);
    }

    private static string PrefixedColumns => string.Join(", ", Columns.Split(", ").Select(column => "e." + column));
}
