using System.Runtime.CompilerServices;
using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>The inbox of transport consumers: handled events by source and id, shared by every instance of the application.</summary>
public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<InboxEntry> ReadInboxAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        async Task<List<InboxEntry>> ReadAsync(NpgsqlCommand command)
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
            List<InboxEntry> entries = [];
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new InboxEntry(reader.GetString(0), reader.GetGuid(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero)));
            }

            return entries;
        }

        List<InboxEntry> all = await CommandAsync(
            $"SELECT source, id, handled_at FROM {_schema}.inbox WHERE handled_at >= $1 ORDER BY handled_at",
            [new NpgsqlParameter { Value = since.UtcTicks }],
            "reading the inbox of",
            ReadAsync,
            cancellationToken).ConfigureAwait(false);
        foreach (InboxEntry entry in all)
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    /// <remarks>Written at once, in one statement.</remarks>
    public async ValueTask SaveInboxAsync(IReadOnlyList<InboxEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (InboxEntry entry in entries)
        {
            if (string.IsNullOrEmpty(entry.Source))
            {
                throw new ArgumentException($"Inbox entry {entry.Id} has no source; an inbox entry names the event's source and id.", nameof(entries));
            }
        }

        if (entries.Count == 0)
        {
            return;
        }

        await ScalarAsync(
            $"INSERT INTO {_schema}.inbox (source, id, handled_at) SELECT * FROM unnest($1, $2, $3) ON CONFLICT DO NOTHING",
            [new NpgsqlParameter { Value = entries.Select(e => e.Source).ToArray() }, new NpgsqlParameter { Value = entries.Select(e => e.Id).ToArray() }, new NpgsqlParameter { Value = entries.Select(e => e.HandledAt.UtcTicks).ToArray() }],
            "saving the inbox of",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> PruneInboxAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        await ScalarAsync(
            $"WITH gone AS (DELETE FROM {_schema}.inbox WHERE handled_at < $1 RETURNING 1) SELECT count(*) FROM gone",
            [new NpgsqlParameter { Value = before.UtcTicks }],
            "pruning the inbox of",
            cancellationToken).ConfigureAwait(false);
}
