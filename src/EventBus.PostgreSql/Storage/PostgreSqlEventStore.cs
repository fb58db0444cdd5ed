using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// An <see cref="IEventStore"/> on PostgreSQL, for applications that run several instances on one history. The schema
/// is created on first use and versioned. Appends waiting together are written in one transaction (group commit, in
/// binary COPY format) that takes a transaction-level advisory lock before it numbers its events: appends from all
/// instances are numbered one after another, and a transaction commits before the next one numbers its events, so a
/// reader following positions never sees a later event while an earlier one is still uncommitted (no gap that fills in
/// later). Appends return once committed, at every level. It also keeps
/// event streams with optimistic concurrency (<see cref="IEventStreamStore"/>) and their snapshots (<see cref="ISnapshotStore"/>),
/// serves as the durable outbox of external publishers (<see cref="IEventLog"/>) and keeps transport consumers' inboxes
/// (<see cref="IInboxStore"/>).
/// </summary>
public sealed partial class PostgreSqlEventStore : IEventStore, IEventStreamStore, ISnapshotStore, IEventLog, IInboxStore
{
    private const string Columns = EventInserter.Columns;

    private readonly PostgreSqlEventStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PayloadSerializer _payloads;
    private readonly string _schema;
    private readonly long _lockKey;
    private readonly string _describe;
    private readonly SemaphoreSlim _initializing = new(1, 1);
    private readonly EventInserter _inserter;
    private readonly GroupCommitWriter _writer;
    private readonly AppendListener _listener;
    private int _disposed;
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
        _dataSource = NpgsqlDataSource.Create(WithPreparedStatements(options.ConnectionString));
        _payloads = new PayloadSerializer(options.JsonOptions, options.PayloadTypes, options.Catalog);
        NpgsqlConnectionStringBuilder builder = new(options.ConnectionString);
        _describe = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";

        // One advisory lock per schema: stores on other schemas of the same database do not wait for each other.
        _lockKey = 0x4556425300000000L | Fnv1a(_schema);
        _inserter = new EventInserter(_schema, _lockKey);
        _listener = new AppendListener(_dataSource, _schema, _inserter.Channel, options.TimeProvider, options.Logger, ToString());
        _writer = new GroupCommitWriter(_dataSource, _inserter, exception => Failed(exception, "appending to"), _listener.Committed);
    }

    /// <summary>
    /// The store runs few distinct statements many times: unless the connection string says otherwise, Npgsql prepares
    /// them on each connection after a few uses, so the server parses and plans them once.
    /// </summary>
    private static string WithPreparedStatements(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder = new(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
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

        EncodedEvent[] encoded = EncodedEvent.EncodeAll(envelopes, _payloads);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _writer.AppendAsync(new AppendRequest(encoded), cancellationToken).ConfigureAwait(false);
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
                $"WITH gone AS (DELETE FROM {_schema}.events e WHERE e.timestamp < $1 AND e.stream_id IS NULL RETURNING 1) SELECT count(*) FROM gone",
                [new NpgsqlParameter { Value = (_options.TimeProvider.GetUtcNow() - age).UtcTicks }],
                "pruning",
                cancellationToken).ConfigureAwait(false);
        }

        if (retention.MaxCount is { } max)
        {
            removed += await ScalarAsync(
                $"WITH gone AS (DELETE FROM {_schema}.events e WHERE e.position <= (SELECT position FROM {_schema}.events ORDER BY position DESC LIMIT 1 OFFSET $1) AND e.stream_id IS NULL RETURNING 1) SELECT count(*) FROM gone",
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
        // Once: its owner and the container that registered it may both dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initializing.Dispose();
    }

    private Task<List<(long Position, EventEnvelope Event)>> ReadEventsAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        async Task<List<(long, EventEnvelope)>> ReadAsync(NpgsqlCommand command)
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
            List<(long, EventEnvelope)> rows = [];
            RowDecoder decoder = new(_payloads);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), decoder.Decode(reader)));
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

    /// <summary>
    /// Awaits one driver call of a read that yields as it goes (an iterator can not yield inside a try with a catch):
    /// a driver error names the database, as <see cref="CommandAsync"/> does. A call already done (the next row of a
    /// buffer) is returned as it is.
    /// </summary>
    private Task<T> ReadingAsync<T>(Task<T> call) => call.IsCompletedSuccessfully ? call : ReadingSlowAsync(call);

    private async Task<T> ReadingSlowAsync<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception, "reading");
        }
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
