using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>Queries: SQL narrows by the indexed criteria, the query's own predicate decides, and pages fill from chunks.</summary>
public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long? after = query.Validate();
        bool ascending = query.Order == EventOrder.Ascending;
        Func<EventEnvelope, bool> matches = query.ToPredicate();
        (string where, List<object> values) = Criteria(query);
        int chunk = query.PageSize + 1;
        long cursor = after ?? (ascending ? 0L : long.MaxValue);
        string sql = $"SELECT {Columns} FROM {_schema}.events WHERE position {(ascending ? ">" : "<")} $1{where} ORDER BY position {(ascending ? "ASC" : "DESC")} LIMIT {chunk}";
        List<EventEnvelope> page = [];
        long last = 0;
        while (true)
        {
            List<(long Position, EventEnvelope Event)> rows = await ReadEventsAsync(sql, [new NpgsqlParameter { Value = cursor }, .. values.Select(v => new NpgsqlParameter { Value = v })], cancellationToken).ConfigureAwait(false);
            foreach ((long position, EventEnvelope envelope) in rows)
            {
                cursor = position;
                if (!matches(envelope))
                {
                    continue;
                }

                if (page.Count == query.PageSize)
                {
                    return new EventPage { Events = page, ContinuationToken = EventQuery.TokenAfter(last) };
                }

                page.Add(envelope);
                last = position;
            }

            if (rows.Count < chunk)
            {
                return new EventPage { Events = page, ContinuationToken = null };
            }
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return this.ReadAllAsync(new EventQuery { WorkflowId = workflowId, From = from, PageSize = 1_000 }, cancellationToken);
    }

    /// <summary>
    /// The SQL conditions for the criteria an index serves. A type pattern with wildcards narrows by its literal prefix
    /// only; the time range is applied loosely (both ends inclusive): the predicate applies every criterion exactly.
    /// </summary>
    private static (string Where, List<object> Values) Criteria(EventQuery query)
    {
        System.Text.StringBuilder where = new();
        List<object> values = [];
        void Add(string condition, object value)
        {
            values.Add(value);
            where.Append(" AND ").Append(condition).Append(" $").Append(values.Count + 1);
        }

        if (query.TypePattern is { } pattern)
        {
            int wildcard = pattern.IndexOfAny(['*', '#']);
            if (wildcard < 0)
            {
                Add("type =", pattern);
            }
            else if (wildcard > 0)
            {
                string prefix = pattern[..wildcard].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
                Add("type LIKE", prefix + "%");
            }
        }

        if (query.Kind is { } kind)
        {
            Add("kind =", (int)kind);
        }

        if (query.Source is { } source)
        {
            Add("source =", source);
        }

        if (query.Target is { } target)
        {
            Add("target =", target);
        }

        if (query.WorkflowId is { } workflow)
        {
            Add("workflow_id =", workflow);
        }

        if (query.CorrelationId is { } correlation)
        {
            Add("correlation_id =", correlation);
        }

        if (query.From is { } from)
        {
            Add("timestamp >=", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            Add("timestamp <=", to.UtcTicks);
        }

        return (where.ToString(), values);
    }
}
