using System.Runtime.CompilerServices;
using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// Streams: an append's expected version is checked under the append lock, in the transaction that writes the events,
/// so the check and the write are atomic against every instance; the unique index on (stream, version) backs it up.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async ValueTask<long> AppendToStreamAsync(string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamAppend(streamId, expectedVersion, events);
        EncodedEvent[] encoded = EncodedEvent.EncodeAll(events, _payloads);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _writer.AppendAsync(new AppendRequest(encoded, streamId, expectedVersion), cancellationToken).ConfigureAwait(false);
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
                $"SELECT {Columns}, stream_version FROM {_schema}.events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT {EventQuery.MaxPageSize}",
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
        return await ScalarAsync($"SELECT coalesce(max(stream_version), 0) FROM {_schema}.events WHERE stream_id = $1", [new NpgsqlParameter { Value = streamId }], "reading a stream's version from", cancellationToken).ConfigureAwait(false);
    }
}
