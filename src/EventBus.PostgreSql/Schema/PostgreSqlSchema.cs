using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// The store's schema and its versions, in the configured PostgreSQL schema. The version is kept in a table of its own;
/// each migration runs in a transaction (PostgreSQL's DDL is transactional) under an advisory lock, so instances starting
/// together migrate once.
/// </summary>
internal static class PostgreSqlSchema
{
    // Each migration is written out in full: once shipped, a version's SQL is history that databases in the field were
    // made with. {0} is the schema's name.
    private static readonly string[] Migrations =
    [
        // Version 1: events by position (assigned under the append lock, so they become visible in order), with indexes for
        // every query criterion. Each index costs every insert, so: the pattern index on type also serves equality; the
        // indexes of values that repeat (type, source, target, correlation) hold the value alone, so that B-tree
        // deduplication keeps them small, and the planner sorts the few matching rows by position (or scans positions
        // for a common value); a workflow is read in order and can be long, so its index holds the position too;
        // timestamps grow with positions, so a BRIN index of block ranges finds a time range. An event of a stream keeps
        // its stream and version in its row, so that a stream reads as one range of the stream index (unique: one event
        // per version). Then each stream's latest snapshot; the outbox's checkpoints (how far each external publisher's relay has sent) and the transport consumers' inbox.
        """
        CREATE TABLE {0}.events (
            position bigint PRIMARY KEY,
            id uuid NOT NULL UNIQUE,
            type text NOT NULL,
            kind integer NOT NULL,
            source text NOT NULL,
            target text,
            workflow_id text,
            phase text,
            correlation_id text,
            causation_id uuid,
            timestamp bigint NOT NULL,
            expires_at bigint,
            priority integer NOT NULL,
            schema_version integer NOT NULL,
            persistence integer,
            payload_type text,
            payload bytea,
            metadata text,
            stream_id text,
            stream_version bigint
        );
        CREATE INDEX ix_events_type ON {0}.events (type text_pattern_ops);
        CREATE INDEX ix_events_workflow ON {0}.events (workflow_id, position) WHERE workflow_id IS NOT NULL;
        CREATE INDEX ix_events_correlation ON {0}.events (correlation_id) WHERE correlation_id IS NOT NULL;
        CREATE INDEX ix_events_source ON {0}.events (source);
        CREATE INDEX ix_events_target ON {0}.events (target) WHERE target IS NOT NULL;
        CREATE INDEX ix_events_timestamp ON {0}.events USING brin (timestamp);
        CREATE UNIQUE INDEX ix_events_stream ON {0}.events (stream_id, stream_version) WHERE stream_id IS NOT NULL;
        CREATE TABLE {0}.snapshots (
            stream_id text PRIMARY KEY,
            version bigint NOT NULL,
            state bytea NOT NULL,
            taken_at bigint NOT NULL
        );
        CREATE TABLE {0}.checkpoints (
            name text PRIMARY KEY,
            position bigint NOT NULL
        );
        CREATE TABLE {0}.inbox (
            source text NOT NULL,
            id uuid NOT NULL,
            handled_at bigint NOT NULL,
            PRIMARY KEY (source, id)
        );
        CREATE INDEX ix_inbox_handled_at ON {0}.inbox (handled_at);
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Creates the schema on first use and brings it up to date; refuses a newer one.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, string schema, long lockKey, string describe, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({lockKey}); CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.schema_version (version integer NOT NULL);", cancellationToken).ConfigureAwait(false);
        NpgsqlCommand read = new($"SELECT coalesce(max(version), 0) FROM {schema}.schema_version;", connection, transaction);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readScope = read.ConfigureAwait(false);
        int version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new EventStoreException($"The event store in schema '{schema}' of {describe} has schema version {version}, written by a newer EventBus.PostgreSql; this version reads up to {CurrentVersion}. Upgrade the EventBus.PostgreSql package, or use another schema (PostgreSqlEventStoreOptions.Schema).");
        }

        for (; version < CurrentVersion; version++)
        {
            await ExecuteAsync(connection, transaction, string.Format(System.Globalization.CultureInfo.InvariantCulture, Migrations[version], schema), cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"DELETE FROM {schema}.schema_version; INSERT INTO {schema}.schema_version VALUES ({CurrentVersion});", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = new(sql, connection, transaction);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
