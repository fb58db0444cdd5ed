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
    /// <remarks>
    /// One query, decoded as the caller enumerates: the server sends the next rows while the caller applies the ones
    /// before, where a page at a time would wait for the whole page before decoding it. The read holds a pooled
    /// connection until the enumeration ends.
    /// </remarks>
    public async IAsyncEnumerable<StreamEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamRead(streamId, fromVersion);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await ReadingAsync(_dataSource.OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlCommand command = new(StreamReadSql, connection);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        foreach (object argument in StreamReadArguments(streamId, fromVersion))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        NpgsqlDataReader reader = await ReadingAsync(command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        RowDecoder decoder = new(_payloads);
        while (await ReadingAsync(reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
        {
            EventEnvelope envelope = decoder.Decode(reader); // before the version column: columns are read in order
            yield return new StreamEvent(streamId, reader.GetInt64(RowDecoder.ColumnCount), envelope);
        }
    }

    /// <summary>
    /// Gets the stream read's query. Its limit is never reached (<see cref="StreamReadArguments"/>) and is there for the
    /// plan: once the statement is prepared, the server may run it on a generic plan, made without the stream id and the
    /// version, which guessed a third of the stream's share of the table and, where one stream fills most of it, scanned
    /// and sorted the whole table on every read. Under a limit the index range that needs no sort is the cheaper plan.
    /// </summary>
    internal string StreamReadSql => $"SELECT {Columns}, stream_version FROM {_schema}.events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3";

    /// <summary>Gets the stream read's arguments, in the order of <see cref="StreamReadSql"/>'s parameters.</summary>
    internal static object[] StreamReadArguments(string streamId, long fromVersion) => [streamId, fromVersion, long.MaxValue];

    /// <inheritdoc />
    public async ValueTask<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        return await ScalarAsync($"SELECT coalesce(max(stream_version), 0) FROM {_schema}.events WHERE stream_id = $1", [new NpgsqlParameter { Value = streamId }], "reading a stream's version from", cancellationToken).ConfigureAwait(false);
    }
}
