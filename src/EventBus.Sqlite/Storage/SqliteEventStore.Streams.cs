using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// Streams: an append goes through the single writer like any other, and its expected version is checked inside the
/// writer's transaction, which holds SQLite's write lock from its start (BEGIN IMMEDIATE). So the check and the insert
/// are atomic against every other writer, in this process or another on the same file, and a refused append writes
/// nothing while the rest of its batch commits.
/// </summary>
public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    public async ValueTask<long> AppendToStreamAsync(string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamAppend(streamId, expectedVersion, events);
        StreamAppend append = new(streamId, expectedVersion);
        await EnqueueAsync(new WriteRequest(null, [.. events.Select(envelope => new StoredRow(envelope, _payloads))], NewSignal(), Stream: append), cancellationToken).ConfigureAwait(false);
        return append.Refusal is { } refusal ? throw refusal : append.Version;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamRead(streamId, fromVersion);
        long next = fromVersion;
        while (true)
        {
            // A page at a time, each on its own connection: a long read holds no snapshot open against the writer.
            List<StreamEvent> page = ReadStreamPage(streamId, next, EventQuery.MaxPageSize);
            foreach (StreamEvent streamEvent in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return streamEvent;
            }

            if (page.Count < EventQuery.MaxPageSize)
            {
                yield break;
            }

            next = page[^1].Version + 1;
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        try
        {
            using SqliteConnection connection = Open();
            using sqlite3_stmt statement = RawSql.Prepare(connection, "SELECT coalesce(max(version), 0) FROM streams WHERE stream_id = ?1;");
            RawSql.BindText(statement, 1, streamId);
            return ValueTask.FromResult(RawSql.Next(connection, statement) ? raw.sqlite3_column_int64(statement, 0) : 0);
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading a stream's version from");
        }
    }

    private List<StreamEvent> ReadStreamPage(string streamId, long fromVersion, int maxCount)
    {
        try
        {
            using SqliteConnection connection = Open();
            using sqlite3_stmt statement = RawSql.Prepare(
                connection,
                $"SELECT {Columns}, v FROM (SELECT position AS p, version AS v FROM streams WHERE stream_id = ?1 AND version >= ?2 ORDER BY version LIMIT ?3) JOIN events ON events.position = p ORDER BY v;");
            RawSql.BindText(statement, 1, streamId);
            raw.sqlite3_bind_int64(statement, 2, fromVersion);
            raw.sqlite3_bind_int(statement, 3, maxCount);
            RowDecoder decoder = new(_payloads);
            List<StreamEvent> page = [];
            int versionColumn = Columns.Split(',').Length;
            while (RawSql.Next(connection, statement))
            {
                page.Add(new StreamEvent(streamId, raw.sqlite3_column_int64(statement, versionColumn), decoder.Decode(statement)));
            }

            return page;
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading a stream from");
        }
    }
}
