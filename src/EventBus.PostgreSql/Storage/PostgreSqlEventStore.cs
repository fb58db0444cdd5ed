using Npgsql;
using NpgsqlTypes;

namespace EventBus.PostgreSql;

/// <summary>
/// An <see cref="IEventStore"/> on PostgreSQL, for applications that run several instances on one history. The schema
/// is created on first use and versioned. Every append is one transaction that takes a transaction-level advisory lock
/// before it numbers its events: appends from all instances are numbered one after another, and an append commits
/// before the next one numbers its events, so a reader following positions never sees a later event while an earlier
/// one is still uncommitted (no gap that fills in later). Appends return once committed, at every level. It also keeps
/// event streams with optimistic concurrency (<see cref="IEventStreamStore"/>) and their snapshots (<see cref="ISnapshotStore"/>),
/// serves as the durable outbox of external publishers (<see cref="IEventLog"/>) and keeps transport consumers' inboxes
/// (<see cref="IInboxStore"/>).
/// </summary>
public sealed partial class PostgreSqlEventStore : IEventStore, IEventStreamStore, ISnapshotStore, IEventLog, IInboxStore
{
    private const string Columns = "position, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata";

    private readonly PostgreSqlEventStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PayloadSerializer _payloads;
    private readonly string _schema;
    private readonly long _lockKey;
    private readonly string _describe;
    private readonly SemaphoreSlim _initializing = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlEventStore"/> class. The schema is created or migrated on first use.</summary>
    /// <param name="options">The connection string, schema and serialization.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names each.</exception>
    public PostgreSqlEventStore(PostgreSqlEventStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _schema = options.Schema;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _payloads = new PayloadSerializer(options.JsonOptions, options.PayloadTypes);
        NpgsqlConnectionStringBuilder builder = new(options.ConnectionString);
        _describe = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";

        // One advisory lock per schema: stores on other schemas of the same database do not wait for each other.
        _lockKey = 0x4556425300000000L | Fnv1a(_schema);
    }

    /// <summary>Describes the database without credentials.</summary>
    /// <returns>For example <c>PostgreSQL db:5432/app schema eventbus</c>.</returns>
    public override string ToString() => $"{_describe} schema {_schema}";

    /// <inheritdoc />
    public ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        StoreGuards.ThrowIfNotStorable(level);
        return AppendBatchAsync([envelope], level, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidBatch(envelopes);
        StoreGuards.ThrowIfNotStorable(level);
        if (envelopes.Count == 0)
        {
            return;
        }

        await WriteAsync(
            async (connection, transaction) =>
            {
                await InsertEventsAsync(connection, transaction, envelopes, cancellationToken).ConfigureAwait(false);
                return 0L;
            },
            "appending to",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Every append returns once committed, so nothing is pending.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        List<(long, EventEnvelope Event)> rows = await ReadEventsAsync($"SELECT {Columns} FROM {_schema}.events WHERE id = $1", [new NpgsqlParameter { Value = eventId }], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Event;
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync($"SELECT count(*) FROM {_schema}.events", [], "reading", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>Events of a stream are never removed: a stream is what an aggregate is rebuilt from.</remarks>
    public async ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidRetention(retention);
        long removed = 0;
        if (retention.MaxAge is { } age)
        {
            removed += await ScalarAsync(
                $"WITH gone AS (DELETE FROM {_schema}.events e WHERE e.timestamp < $1 AND NOT EXISTS (SELECT 1 FROM {_schema}.streams s WHERE s.position = e.position) RETURNING 1) SELECT count(*) FROM gone",
                [new NpgsqlParameter { Value = (_options.TimeProvider.GetUtcNow() - age).UtcTicks }],
                "pruning",
                cancellationToken).ConfigureAwait(false);
        }

        if (retention.MaxCount is { } max)
        {
            removed += await ScalarAsync(
                $"WITH gone AS (DELETE FROM {_schema}.events e WHERE e.position <= (SELECT position FROM {_schema}.events ORDER BY position DESC LIMIT 1 OFFSET $1) AND NOT EXISTS (SELECT 1 FROM {_schema}.streams s WHERE s.position = e.position) RETURNING 1) SELECT count(*) FROM gone",
                [new NpgsqlParameter { Value = (long)max }],
                "pruning",
                cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>Releases the connection pool.</summary>
    /// <returns>A task that completes when it is released.</returns>
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initializing.Dispose();
    }

    /// <summary>
    /// Runs a write in one transaction under the append lock: it waits for any other append on this schema, in any
    /// instance, to commit, so positions are assigned and become visible in order.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write, string doing, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);
            NpgsqlCommand lockCommand = new($"SELECT pg_advisory_xact_lock({_lockKey})", connection, transaction);
            await using (lockCommand.ConfigureAwait(false))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            T result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            SignalAppended();
            return result;
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception, doing);
        }
    }

    /// <summary>Inserts events after the highest position; called under the append lock. An event whose id is stored is skipped.</summary>
    private async Task<long> InsertEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        NpgsqlCommand last = new($"SELECT coalesce(max(position), 0) FROM {_schema}.events", connection, transaction);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable lastScope = last.ConfigureAwait(false);
        long first = (long)(await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        int n = envelopes.Count;
        long[] positions = new long[n];
        Guid[] ids = new Guid[n];
        string[] types = new string[n];
        int[] kinds = new int[n];
        string[] sources = new string[n];
        string?[] targets = new string?[n];
        string?[] workflows = new string?[n];
        string?[] phases = new string?[n];
        string?[] correlations = new string?[n];
        Guid?[] causations = new Guid?[n];
        long[] timestamps = new long[n];
        long?[] expiries = new long?[n];
        int[] priorities = new int[n];
        int[] schemaVersions = new int[n];
        int?[] persistence = new int?[n];
        string?[] payloadTypes = new string?[n];
        byte[]?[] payloads = new byte[]?[n];
        string?[] metadata = new string?[n];
        for (int i = 0; i < n; i++)
        {
            EventEnvelope e = envelopes[i];
            positions[i] = first + i + 1;
            ids[i] = e.Id;
            types[i] = e.Type;
            kinds[i] = (int)e.Kind;
            sources[i] = e.Source;
            targets[i] = e.Target;
            workflows[i] = e.WorkflowId;
            phases[i] = e.Phase;
            correlations[i] = e.CorrelationId;
            causations[i] = e.CausationId;
            timestamps[i] = e.Timestamp.UtcTicks;
            expiries[i] = e.ExpiresAt?.UtcTicks;
            priorities[i] = (int)e.Priority;
            schemaVersions[i] = e.SchemaVersion;
            persistence[i] = e.Persistence is { } level ? (int)level : null;
            (payloadTypes[i], payloads[i]) = _payloads.Write(e.Data);
            metadata[i] = PayloadSerializer.WriteMetadata(e.Metadata);
        }

        // One statement for the whole batch: the arrays travel in Npgsql's binary format and unnest into rows.
        NpgsqlCommand insert = new(
            $"INSERT INTO {_schema}.events ({Columns}) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (id) DO NOTHING",
            connection,
            transaction);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable insertScope = insert.ConfigureAwait(false);
        insert.Parameters.Add(new NpgsqlParameter { Value = positions });
        insert.Parameters.Add(new NpgsqlParameter { Value = ids });
        insert.Parameters.Add(new NpgsqlParameter { Value = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = kinds });
        insert.Parameters.Add(new NpgsqlParameter { Value = sources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = targets, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = workflows, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = phases, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = correlations, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = causations, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        insert.Parameters.Add(new NpgsqlParameter { Value = timestamps });
        insert.Parameters.Add(new NpgsqlParameter { Value = expiries, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        insert.Parameters.Add(new NpgsqlParameter { Value = priorities });
        insert.Parameters.Add(new NpgsqlParameter { Value = schemaVersions });
        insert.Parameters.Add(new NpgsqlParameter { Value = persistence, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { Value = payloadTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        insert.Parameters.Add(new NpgsqlParameter { Value = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return first;
    }

    private Task<List<(long Position, EventEnvelope Event)>> ReadEventsAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken, int extraColumn = -1, List<long>? extras = null)
    {
        async Task<List<(long, EventEnvelope)>> ReadAsync(NpgsqlCommand command)
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
            List<(long, EventEnvelope)> rows = [];
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), Decode(reader)));
                if (extraColumn >= 0)
                {
                    extras!.Add(reader.GetInt64(extraColumn));
                }
            }

            return rows;
        }

        return CommandAsync(sql, parameters, "reading", ReadAsync, cancellationToken);
    }

    private Task<long> ScalarAsync(string sql, NpgsqlParameter[] parameters, string doing, CancellationToken cancellationToken) =>
        CommandAsync(
            sql,
            parameters,
            doing,
            async command => Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken);

    /// <summary>Runs one command outside the append lock (reads, deletes, snapshot writes) on a pooled connection; a driver error names the database.</summary>
    private async Task<T> CommandAsync<T>(string sql, NpgsqlParameter[] parameters, string doing, Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
            NpgsqlCommand command = new(sql, connection);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
            command.Parameters.AddRange(parameters);
            return await run(command).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception, doing);
        }
    }

    private EventEnvelope Decode(NpgsqlDataReader row)
    {
        EventBuilder builder = new EventBuilder(row.GetString(2))
            .WithKind((EventKind)row.GetInt32(3))
            .WithSource(row.GetString(4))
            .WithTarget(row.IsDBNull(5) ? null : row.GetString(5))
            .WithWorkflow(row.IsDBNull(6) ? null : row.GetString(6), row.IsDBNull(7) ? null : row.GetString(7))
            .WithCorrelation(row.IsDBNull(8) ? null : row.GetString(8))
            .WithCausation(row.IsDBNull(9) ? null : row.GetGuid(9))
            .WithPriority((EventPriority)row.GetInt32(12))
            .WithSchemaVersion(row.GetInt32(13));
        if (!row.IsDBNull(11))
        {
            builder.WithExpiry(new DateTimeOffset(row.GetInt64(11), TimeSpan.Zero));
        }

        if (!row.IsDBNull(14))
        {
            builder.WithPersistence((PersistenceLevel)row.GetInt32(14));
        }

        if (!row.IsDBNull(15) && !row.IsDBNull(16))
        {
            builder.WithData(_payloads.Read(row.GetString(15), row.GetFieldValue<byte[]>(16)));
        }

        if (!row.IsDBNull(17) && PayloadSerializer.ReadMetadata(System.Text.Encoding.UTF8.GetBytes(row.GetString(17))) is { } metadata)
        {
            builder.WithMetadata(metadata);
        }

        return builder.BuildStored(row.GetGuid(1), new DateTimeOffset(row.GetInt64(10), TimeSpan.Zero));
    }

    private async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await PostgreSqlSchema.ApplyAsync(_dataSource, _schema, _lockKey, _describe, cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception, "creating the schema of");
        }
        finally
        {
            _initializing.Release();
        }
    }

    /// <summary>An error that names the database (never the password) and what the store was doing.</summary>
    private EventStoreException Failed(NpgsqlException exception, string doing) =>
        new($"{char.ToUpperInvariant(doing[0])}{doing[1..]} the event store in schema '{_schema}' of {_describe} failed: {exception.Message}", exception);

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
