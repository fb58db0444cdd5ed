using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>
/// The store's schema and its versions. The file is marked as ours with <c>PRAGMA application_id</c> and versioned
/// with <c>PRAGMA user_version</c>; each migration moves it one version up inside a transaction.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>
    /// Positions per bucket of the workflow and correlation indexes. Indexing (bucket, key) instead of (key, position)
    /// keeps new index entries inside the newest bucket, a small hot region, instead of scattering them over the whole
    /// index; appends to a million-event store run about 65% faster, and a query reads one bucket at a time.
    /// </summary>
    public const long BucketSize = 65_536;

    /// <summary>'EVBS' in ASCII: marks a file as an EventBus store.</summary>
    public const int ApplicationId = 0x45564253;

    // Each migration is written out in full, never built from shared constants: once shipped, a version's SQL is
    // history that files in the field were made with, and must not change when a later version does.
    private static readonly string[] Migrations =
    [
        // Version 1: events in append order (the writer assigns positions), with indexes for the criteria that select
        // few rows: type, workflow (per bucket of positions) and time. Each index costs appends; correlation is opt-in.
        """
        CREATE TABLE events (
            position INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE,
            type TEXT NOT NULL,
            kind INTEGER NOT NULL,
            source TEXT NOT NULL,
            target TEXT,
            workflow_id TEXT,
            phase TEXT,
            correlation_id TEXT,
            causation_id BLOB,
            timestamp INTEGER NOT NULL,
            expires_at INTEGER,
            priority INTEGER NOT NULL,
            schema_version INTEGER NOT NULL,
            persistence INTEGER,
            payload_type TEXT,
            payload BLOB,
            metadata TEXT
        );
        CREATE INDEX ix_events_type ON events (type, position);
        CREATE INDEX ix_events_workflow ON events (position / 65536, workflow_id) WHERE workflow_id IS NOT NULL;
        CREATE INDEX ix_events_timestamp ON events (timestamp);
        """,

        // Version 2: the bus's dead letters, so that they survive a restart. Each row holds its event in the columns of
        // events (a dead letter outlives pruning and may be of a temporary event), then why and when it was given up on.
        // The sequence keeps the dead-letter queue's order; the queue's capacity bounds the table.
        """
        CREATE TABLE dead_letters (
            sequence INTEGER PRIMARY KEY,
            id BLOB NOT NULL,
            type TEXT NOT NULL,
            kind INTEGER NOT NULL,
            source TEXT NOT NULL,
            target TEXT,
            workflow_id TEXT,
            phase TEXT,
            correlation_id TEXT,
            causation_id BLOB,
            timestamp INTEGER NOT NULL,
            expires_at INTEGER,
            priority INTEGER NOT NULL,
            schema_version INTEGER NOT NULL,
            persistence INTEGER,
            payload_type TEXT,
            payload BLOB,
            metadata TEXT,
            dead_letter_id BLOB NOT NULL UNIQUE,
            subscriber_id TEXT NOT NULL,
            reason INTEGER NOT NULL,
            exception_type TEXT,
            exception_message TEXT,
            attempts INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL
        );
        """,

        // Version 3: the outbox's checkpoints (how far each external publisher's relay has sent the log) and the inbox
        // (the events a transport's consumer handled, by source and id, so a redelivery after a restart is recognised).
        """
        CREATE TABLE checkpoints (
            name TEXT PRIMARY KEY,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE inbox (
            source TEXT NOT NULL,
            id BLOB NOT NULL,
            handled_at INTEGER NOT NULL,
            PRIMARY KEY (source, id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_inbox_handled_at ON inbox (handled_at);
        """,

        // Version 4: event streams and their snapshots. A stream row gives an event (by position) its version in its
        // stream; the primary key makes a version taken twice impossible even if a writer skipped the check. Retention
        // never deletes a stream's events, and the position index lets it find them. A stream keeps its latest snapshot.
        """
        CREATE TABLE streams (
            stream_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (stream_id, version)
        ) WITHOUT ROWID;
        CREATE INDEX ix_streams_position ON streams (position);
        CREATE TABLE snapshots (
            stream_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            state BLOB NOT NULL,
            taken_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Checks that the file is ours and not from a newer version, then brings its schema up to date.</summary>
    public static void Apply(SqliteConnection connection, string path, bool indexCorrelation)
    {
        int applicationId = Scalar(connection, "PRAGMA application_id;");
        int version = Scalar(connection, "PRAGMA user_version;");
        int tables = Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table';");
        if (applicationId != ApplicationId && (applicationId != 0 || tables > 0))
        {
            throw new EventStoreException(
                $"'{path}' is a SQLite database of another application (application_id {applicationId}, {tables} tables), not an EventBus event store. Point SqliteEventStoreOptions.Path at a new file or at an existing event store.");
        }

        if (version > CurrentVersion)
        {
            throw new EventStoreException(
                $"The event store '{path}' has schema version {version}, written by a newer EventBus.Sqlite; this version reads up to {CurrentVersion}. Upgrade the EventBus.Sqlite package, or use another file.");
        }

        while (version < CurrentVersion)
        {
            // Under the write lock, and the version read again under it: another process opening the same new file at
            // the same moment may have migrated it already.
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            version = Scalar(connection, "PRAGMA user_version;", transaction);
            if (version < CurrentVersion)
            {
                Execute(connection, Migrations[version], transaction);
                Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {version + 1};", transaction);
                version++;
            }

            transaction.Commit();
        }

        if (indexCorrelation)
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, "CREATE INDEX IF NOT EXISTS ix_events_correlation ON events (position / 65536, correlation_id) WHERE correlation_id IS NOT NULL;", transaction);
            transaction.Commit();
        }
    }

    private static int Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
