using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>Reads: each runs on its own pooled connection beside the writer (WAL lets readers and the writer overlap).</summary>
public sealed partial class SqliteEventStore
{
    private const string Columns = "position, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata";

    /// <inheritdoc />
    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM events WHERE id = $id;";
        command.Parameters.AddWithValue("$id", eventId.ToByteArray(bigEndian: true));
        using SqliteDataReader reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? ReadEnvelope(reader) : null);
    }

    /// <inheritdoc />
    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long? after = query.Validate();
        bool ascending = query.Order == EventOrder.Ascending;
        Func<EventEnvelope, bool> matches = query.ToPredicate();
        using SqliteConnection connection = Open();
        bool byBucket = query.WorkflowId is not null || (query.CorrelationId is not null && _options.IndexCorrelationId);
        using SqliteCommand command = BuildQuery(connection, query, ascending, byBucket);
        long start = after ?? (ascending ? 0L : long.MaxValue);
        SqliteParameter cursor = command.Parameters.AddWithValue("$cursor", start);
        int chunk = query.Limit + 1;
        command.Parameters.AddWithValue("$chunk", chunk);

        // Workflow and correlation indexes are kept per bucket of positions (see SchemaMigrations); such a query walks
        // the buckets in order, and within one bucket the index already yields positions in order.
        long lastBucket = byBucket ? LastBucket(connection) : 0;
        long bucket = !byBucket ? 0 : ascending ? start / SchemaMigrations.BucketSize : Math.Min(lastBucket, (start - 1) / SchemaMigrations.BucketSize);
        SqliteParameter bucketParameter = command.Parameters.AddWithValue("$bucket", bucket);

        // SQL applies every criterion but a type pattern with wildcards exactly; the predicate re-checks, so pages fill from chunks.
        List<EventEnvelope> page = [];
        long last = 0;
        bool more = false;
        while (!more)
        {
            int rows = 0;
            using (SqliteDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows++;
                    long position = reader.GetInt64(0);
                    cursor.Value = position;
                    EventEnvelope envelope = ReadEnvelope(reader);
                    if (!matches(envelope))
                    {
                        continue;
                    }

                    if (page.Count == query.Limit)
                    {
                        more = true;
                        break;
                    }

                    page.Add(envelope);
                    last = position;
                }
            }

            if (rows < chunk)
            {
                bucket += ascending ? 1 : -1;
                if (!byBucket || bucket < 0 || bucket > lastBucket)
                {
                    break;
                }

                bucketParameter.Value = bucket;
            }
        }

        return ValueTask.FromResult(new EventPage(page, more ? EventQuery.TokenAfter(last) : null));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return this.ReadAllAsync(new EventQuery { WorkflowId = workflowId, From = from, Limit = EventQuery.MaxLimit }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events;";
        return ValueTask.FromResult((long)command.ExecuteScalar()!);
    }

    /// <inheritdoc />
    public async ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retention);

        // Pending writes first, so that a count limit sees them.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using SqliteConnection connection = Open();
        long removed = 0;
        if (retention.MaxAge is { } age)
        {
            using SqliteCommand byAge = connection.CreateCommand();
            byAge.CommandText = "DELETE FROM events WHERE timestamp < $cutoff;";
            byAge.Parameters.AddWithValue("$cutoff", (_options.TimeProvider.GetUtcNow() - age).UtcTicks);
            removed += byAge.ExecuteNonQuery();
        }

        if (retention.MaxCount is { } max)
        {
            using SqliteCommand byCount = connection.CreateCommand();
            byCount.CommandText = "DELETE FROM events WHERE position <= (SELECT position FROM events ORDER BY position DESC LIMIT 1 OFFSET $keep);";
            byCount.Parameters.AddWithValue("$keep", max);
            removed += byCount.ExecuteNonQuery();
        }

        return removed;
    }

    private static long LastBucket(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(position), 0) / {SchemaMigrations.BucketSize} FROM events;";
        return (long)command.ExecuteScalar()!;
    }

    private static SqliteCommand BuildQuery(SqliteConnection connection, EventQuery query, bool ascending, bool byBucket)
    {
        SqliteCommand command = connection.CreateCommand();
        StringBuilder sql = new($"SELECT {Columns} FROM events WHERE position {(ascending ? ">" : "<")} $cursor");
        if (byBucket)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND position / {SchemaMigrations.BucketSize} = $bucket");
        }

        if (query.TypePattern is { } pattern && pattern.IndexOfAny(['*', '#']) < 0)
        {
            // An exact type uses the (type, position) index; a pattern is checked in memory while scanning in position order,
            // because a range on type would make SQLite sort every matching row for each page.
            sql.Append(" AND type = $type");
            command.Parameters.AddWithValue("$type", pattern);
        }

        Equal(command, sql, "kind", "$kind", query.Kind is { } kind ? (int)kind : null);
        Equal(command, sql, "source", "$source", query.Source);
        Equal(command, sql, "target", "$target", query.Target);
        Equal(command, sql, "workflow_id", "$workflow", query.WorkflowId);
        Equal(command, sql, "correlation_id", "$correlation", query.CorrelationId);
        // The unary plus keeps SQLite from choosing the time index (and sorting) when another criterion or the position order serves better.
        string timestamp = query.WorkflowId is null && query.CorrelationId is null && query.TypePattern is null ? "timestamp" : "+timestamp";
        if (query.From is { } from)
        {
            sql.Append(" AND ").Append(timestamp).Append(" >= $from");
            command.Parameters.AddWithValue("$from", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            sql.Append(" AND ").Append(timestamp).Append(" < $to");
            command.Parameters.AddWithValue("$to", to.UtcTicks);
        }

        sql.Append(ascending ? " ORDER BY position ASC" : " ORDER BY position DESC").Append(" LIMIT $chunk;");
        command.CommandText = sql.ToString();
        return command;
    }

    private static void Equal(SqliteCommand command, StringBuilder sql, string column, string name, object? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(column).Append(" = ").Append(name);
            command.Parameters.AddWithValue(name, value);
        }
    }

    private EventEnvelope ReadEnvelope(SqliteDataReader reader)
    {
        EventBuilder builder = new EventBuilder(reader.GetString(2))
            .WithKind((EventKind)reader.GetInt32(3))
            .WithSource(reader.GetString(4))
            .WithTarget(reader.IsDBNull(5) ? null : reader.GetString(5))
            .WithWorkflow(reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7))
            .WithCorrelation(reader.IsDBNull(8) ? null : reader.GetString(8))
            .WithCausation(reader.IsDBNull(9) ? null : new Guid((byte[])reader[9], bigEndian: true))
            .WithPriority((EventPriority)reader.GetInt32(12))
            .WithSchemaVersion(reader.GetInt32(13))
            .WithData(_payloads.Read(reader.IsDBNull(15) ? null : reader.GetString(15), reader.IsDBNull(16) ? null : (byte[])reader[16]));
        if (!reader.IsDBNull(11))
        {
            builder.ExpiresAtTime(new DateTimeOffset(reader.GetInt64(11), TimeSpan.Zero));
        }

        if (!reader.IsDBNull(14))
        {
            builder.WithPersistence((PersistenceLevel)reader.GetInt32(14));
        }

        if (PayloadSerializer.ReadMetadata(reader.IsDBNull(17) ? null : reader.GetString(17)) is { } metadata)
        {
            builder.WithMetadata(metadata);
        }

        return builder.BuildStored(new Guid((byte[])reader[1], bigEndian: true), new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero));
    }
}
