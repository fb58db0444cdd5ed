using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>Reads: each runs on its own pooled connection beside the writer (WAL lets readers and the writer overlap).</summary>
public sealed partial class SqliteEventStore
{
    /// <summary>The columns every read selects, in the order <see cref="RowDecoder"/> reads them.</summary>
    internal const string Columns = "position, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata";

    /// <inheritdoc />
    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult(Get(eventId));
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading");
        }
    }

    /// <inheritdoc />
    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long? after = query.Validate();
        try
        {
            return ValueTask.FromResult(Query(query, after));
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading");
        }
    }

    private EventEnvelope? Get(Guid eventId)
    {
        using SqliteConnection connection = Open();
        using sqlite3_stmt statement = RawSql.Prepare(connection, $"SELECT {Columns} FROM events WHERE id = ?1;");
        raw.sqlite3_bind_blob(statement, 1, eventId.ToByteArray(bigEndian: true));
        return RawSql.Next(connection, statement) ? new RowDecoder(_payloads).Decode(statement) : null;
    }

    private EventPage Query(EventQuery query, long? after)
    {
        bool ascending = query.Order == EventOrder.Ascending;
        Func<EventEnvelope, bool> matches = query.ToPredicate();
        using SqliteConnection connection = Open();
        bool byBucket = query.WorkflowId is not null || (query.CorrelationId is not null && _options.IndexCorrelationId);
        (string sql, List<KeyValuePair<string, object>> parameters) = BuildQuery(query, ascending, byBucket);
        using sqlite3_stmt statement = RawSql.Prepare(connection, sql);
        foreach ((string name, object value) in parameters)
        {
            RawSql.Bind(statement, name, value);
        }

        long cursor = after ?? (ascending ? 0L : long.MaxValue);
        int chunk = query.PageSize + 1;
        RawSql.Bind(statement, "$chunk", chunk);

        // Workflow and correlation indexes are kept per bucket of positions (see SchemaMigrations); such a query walks
        // the buckets in order, and within one bucket the index already yields positions in order.
        long lastBucket = byBucket ? LastBucket(connection) : 0;
        long bucket = !byBucket ? 0 : ascending ? cursor / SchemaMigrations.BucketSize : Math.Min(lastBucket, (cursor - 1) / SchemaMigrations.BucketSize);

        // SQL applies every criterion but a type pattern with wildcards exactly; the predicate re-checks, so pages fill from chunks.
        RowDecoder decoder = new(_payloads);
        List<EventEnvelope> page = [];
        long last = 0;
        bool more = false;
        while (!more)
        {
            RawSql.Bind(statement, "$cursor", cursor);
            if (byBucket)
            {
                RawSql.Bind(statement, "$bucket", bucket);
            }

            int rows = 0;
            while (!more && RawSql.Next(connection, statement))
            {
                rows++;
                long position = raw.sqlite3_column_int64(statement, 0);
                cursor = position;
                EventEnvelope envelope = decoder.Decode(statement);
                if (!matches(envelope))
                {
                    continue;
                }

                if (page.Count == query.PageSize)
                {
                    more = true;
                    break;
                }

                page.Add(envelope);
                last = position;
            }

            raw.sqlite3_reset(statement);
            if (!more && rows < chunk)
            {
                bucket += ascending ? 1 : -1;
                if (!byBucket || bucket < 0 || bucket > lastBucket)
                {
                    break;
                }
            }
        }

        return new EventPage { Events = page, ContinuationToken = more ? EventQuery.TokenAfter(last) : null };
    }

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        // Pages of 1,000: every decoded event of a page is alive at once, and larger pages push them into older GC generations.
        return this.ReadAllAsync(new EventQuery { WorkflowId = workflowId, From = from, PageSize = 1_000 }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using SqliteConnection connection = Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM events;";
            return ValueTask.FromResult((long)command.ExecuteScalar()!);
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading");
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidRetention(retention);

        // Pending writes first, so that a count limit sees them.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Prune(retention);
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "pruning");
        }
    }

    private long Prune(EventRetention retention)
    {
        using SqliteConnection connection = Open();
        long removed = 0;
        if (retention.MaxAge is { } age)
        {
            using SqliteCommand byAge = connection.CreateCommand();
            byAge.CommandText = "DELETE FROM events WHERE timestamp < $cutoff AND position NOT IN (SELECT position FROM streams);";
            byAge.Parameters.AddWithValue("$cutoff", (_options.TimeProvider.GetUtcNow() - age).UtcTicks);
            removed += byAge.ExecuteNonQuery();
        }

        if (retention.MaxCount is { } max)
        {
            using SqliteCommand byCount = connection.CreateCommand();
            byCount.CommandText = "DELETE FROM events WHERE position <= (SELECT position FROM events ORDER BY position DESC LIMIT 1 OFFSET $keep) AND position NOT IN (SELECT position FROM streams);";
            byCount.Parameters.AddWithValue("$keep", max);
            removed += byCount.ExecuteNonQuery();
        }

        _tail.Clear();
        return removed;
    }

    private static long LastBucket(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(position), 0) / {SchemaMigrations.BucketSize} FROM events;";
        return (long)command.ExecuteScalar()!;
    }

    private static (string Sql, List<KeyValuePair<string, object>> Parameters) BuildQuery(EventQuery query, bool ascending, bool byBucket)
    {
        List<KeyValuePair<string, object>> parameters = [];
        StringBuilder sql = new($"SELECT {Columns} FROM events WHERE position {(ascending ? ">" : "<")} $cursor");
        if (byBucket)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND position / {SchemaMigrations.BucketSize} = $bucket");
        }

        if (query.TypePattern is { } pattern && pattern.IndexOfAny(['*', '#']) < 0)
        {
            // An exact type uses the (type, position) index; a pattern is checked in memory while scanning in position order,
            // because a range on type would make SQLite sort every matching row for each page.
            Equal(parameters, sql, "type", "$type", pattern);
        }

        Equal(parameters, sql, "kind", "$kind", query.Kind is { } kind ? (int)kind : null);
        Equal(parameters, sql, "source", "$source", query.Source);
        Equal(parameters, sql, "target", "$target", query.Target);
        Equal(parameters, sql, "workflow_id", "$workflow", query.WorkflowId);
        Equal(parameters, sql, "correlation_id", "$correlation", query.CorrelationId);
        // The unary plus keeps SQLite from choosing the time index (and sorting) when another criterion or the position order serves better.
        string timestamp = query.WorkflowId is null && query.CorrelationId is null && query.TypePattern is null ? "timestamp" : "+timestamp";
        if (query.From is { } from)
        {
            sql.Append(" AND ").Append(timestamp).Append(" >= $from");
            parameters.Add(new("$from", from.UtcTicks));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND ").Append(timestamp).Append(" < $to");
            parameters.Add(new("$to", to.UtcTicks));
        }

        sql.Append(ascending ? " ORDER BY position ASC" : " ORDER BY position DESC").Append(" LIMIT $chunk;");
        return (sql.ToString(), parameters);
    }

    private static void Equal(List<KeyValuePair<string, object>> parameters, StringBuilder sql, string column, string name, object? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(column).Append(" = ").Append(name);
            parameters.Add(new(name, value));
        }
    }
}
