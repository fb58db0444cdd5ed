using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>The inbox of transport consumers: handled events by source and id, read back when a consumer starts.</summary>
public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<InboxEntry> ReadInboxAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<InboxEntry> entries = [];
        try
        {
            using SqliteConnection connection = Open();
            using sqlite3_stmt statement = RawSql.Prepare(connection, "SELECT source, id, handled_at FROM inbox WHERE handled_at >= ?1 ORDER BY handled_at;");
            raw.sqlite3_bind_int64(statement, 1, since.UtcTicks);
            while (RawSql.Next(connection, statement))
            {
                cancellationToken.ThrowIfCancellationRequested();
                entries.Add(new InboxEntry(Text(statement, 0)!, new Guid(raw.sqlite3_column_blob(statement, 1), bigEndian: true), new DateTimeOffset(raw.sqlite3_column_int64(statement, 2), TimeSpan.Zero)));
            }
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading the inbox of");
        }

        foreach (InboxEntry entry in entries)
        {
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask SaveInboxAsync(IReadOnlyList<InboxEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (InboxEntry entry in entries)
        {
            if (string.IsNullOrEmpty(entry.Source))
            {
                throw new ArgumentException($"Inbox entry {entry.Id} has no source; an inbox entry names the event's source and id.", nameof(entries));
            }
        }

        return entries.Count == 0 ? ValueTask.CompletedTask : EnqueueAsync(new WriteRequest(null, null, null, Inbox: [.. entries]), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> PruneInboxAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        try
        {
            using SqliteConnection connection = Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM inbox WHERE handled_at < $before;";
            command.Parameters.AddWithValue("$before", before.UtcTicks);
            return ValueTask.FromResult((long)command.ExecuteNonQuery());
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "pruning the inbox of");
        }
    }
}
