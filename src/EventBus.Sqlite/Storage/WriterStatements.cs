using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// The writer's prepared statements, bound by index on SQLite's own statement: SqliteCommand would look each
/// parameter up by name and box its value on every execution, which costs more than the insert itself. An event's
/// columns are parameters 2 to 18 of both inserts, so one binder serves both.
/// </summary>
internal sealed class WriterStatements : IDisposable
{
    private const string EventColumns = "id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata";
    private const string EventParameters = "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18";

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insertEvent;
    private readonly sqlite3_stmt _insertDeadLetter;
    private readonly sqlite3_stmt _deleteDeadLetter;
    private readonly sqlite3_stmt _lastPosition;
    private readonly sqlite3_stmt _saveCheckpoint;
    private readonly sqlite3_stmt _insertInbox;
    private readonly sqlite3_stmt _streamVersion;
    private readonly sqlite3_stmt _eventExists;
    private readonly sqlite3_stmt _insertStream;

    public WriterStatements(SqliteConnection connection)
    {
        _connection = connection;
        // Only a second copy of an event (same id) is skipped; a clash of positions is an error, never silently ignored.
        _insertEvent = RawSql.Prepare(connection, $"INSERT INTO events (position, {EventColumns}) VALUES (?1, {EventParameters}) ON CONFLICT (id) DO NOTHING;");
        _insertDeadLetter = RawSql.Prepare(
            connection,
            $"INSERT OR IGNORE INTO dead_letters (dead_letter_id, {EventColumns}, subscriber_id, reason, exception_type, exception_message, attempts, dead_lettered_at) VALUES (?1, {EventParameters}, ?19, ?20, ?21, ?22, ?23, ?24);");
        _deleteDeadLetter = RawSql.Prepare(connection, "DELETE FROM dead_letters WHERE dead_letter_id = ?1;");
        _lastPosition = RawSql.Prepare(connection, "SELECT coalesce(max(position), 0) FROM events;");

        // A checkpoint only moves forward: a relay in another process on the same file can not move it back.
        _saveCheckpoint = RawSql.Prepare(connection, "INSERT INTO checkpoints (name, position) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET position = max(position, excluded.position);");
        _insertInbox = RawSql.Prepare(connection, "INSERT OR IGNORE INTO inbox (source, id, handled_at) VALUES (?1, ?2, ?3);");
        _streamVersion = RawSql.Prepare(connection, "SELECT coalesce(max(version), 0) FROM streams WHERE stream_id = ?1;");
        _eventExists = RawSql.Prepare(connection, "SELECT 1 FROM events WHERE id = ?1;");
        _insertStream = RawSql.Prepare(connection, "INSERT INTO streams (stream_id, version, position) VALUES (?1, ?2, ?3);");
    }

    /// <summary>Reads a stream's version; called inside the write transaction, so no other writer can move it meanwhile.</summary>
    public long StreamVersion(string streamId)
    {
        RawSql.BindText(_streamVersion, 1, streamId);
        long version = RawSql.Next(_connection, _streamVersion) ? raw.sqlite3_column_int64(_streamVersion, 0) : 0;
        raw.sqlite3_reset(_streamVersion);
        return version;
    }

    /// <summary>Tells whether the file holds an event with this id.</summary>
    public bool EventExists(byte[] id)
    {
        raw.sqlite3_bind_blob(_eventExists, 1, id);
        bool exists = RawSql.Next(_connection, _eventExists);
        raw.sqlite3_reset(_eventExists);
        return exists;
    }

    public void InsertStream(string streamId, long version, long position)
    {
        RawSql.BindText(_insertStream, 1, streamId);
        raw.sqlite3_bind_int64(_insertStream, 2, version);
        raw.sqlite3_bind_int64(_insertStream, 3, position);
        RawSql.Step(_connection, _insertStream);
    }

    /// <summary>Reads the highest position in the file (one step down the primary key); called inside the write transaction.</summary>
    public long LastPosition()
    {
        if (!RawSql.Next(_connection, _lastPosition))
        {
            raw.sqlite3_reset(_lastPosition);
            return 0;
        }

        long last = raw.sqlite3_column_int64(_lastPosition, 0);
        raw.sqlite3_reset(_lastPosition);
        return last;
    }

    /// <summary>Inserts an event at <paramref name="position"/>; false when an event of its id is stored already (nothing is written).</summary>
    public bool InsertEvent(StoredRow row, long position)
    {
        raw.sqlite3_bind_int64(_insertEvent, 1, position);
        BindEvent(_insertEvent, row);
        RawSql.Step(_connection, _insertEvent);
        return raw.sqlite3_changes(_connection.Handle) == 1;
    }

    public void InsertDeadLetter(DeadLetterRow row)
    {
        DeadLetter letter = row.Letter;
        raw.sqlite3_bind_blob(_insertDeadLetter, 1, row.Id);
        BindEvent(_insertDeadLetter, row.Event);
        RawSql.BindText(_insertDeadLetter, 19, letter.SubscriberId);
        raw.sqlite3_bind_int(_insertDeadLetter, 20, (int)letter.Reason);
        RawSql.BindText(_insertDeadLetter, 21, letter.ExceptionType);
        RawSql.BindText(_insertDeadLetter, 22, letter.ExceptionMessage);
        raw.sqlite3_bind_int(_insertDeadLetter, 23, letter.Attempts);
        raw.sqlite3_bind_int64(_insertDeadLetter, 24, letter.DeadLetteredAt.UtcTicks);
        RawSql.Step(_connection, _insertDeadLetter);
    }

    public void DeleteDeadLetter(byte[] id)
    {
        raw.sqlite3_bind_blob(_deleteDeadLetter, 1, id);
        RawSql.Step(_connection, _deleteDeadLetter);
    }

    public void SaveCheckpoint(string name, long position)
    {
        RawSql.BindText(_saveCheckpoint, 1, name);
        raw.sqlite3_bind_int64(_saveCheckpoint, 2, position);
        RawSql.Step(_connection, _saveCheckpoint);
    }

    public void InsertInbox(InboxEntry entry)
    {
        RawSql.BindText(_insertInbox, 1, entry.Source);
        raw.sqlite3_bind_blob(_insertInbox, 2, entry.Id.ToByteArray(bigEndian: true));
        raw.sqlite3_bind_int64(_insertInbox, 3, entry.HandledAt.UtcTicks);
        RawSql.Step(_connection, _insertInbox);
    }

    public void Dispose()
    {
        _saveCheckpoint.Dispose();
        _insertInbox.Dispose();
        _insertEvent.Dispose();
        _insertDeadLetter.Dispose();
        _deleteDeadLetter.Dispose();
        _lastPosition.Dispose();
        _streamVersion.Dispose();
        _eventExists.Dispose();
        _insertStream.Dispose();
    }

    private static void BindEvent(sqlite3_stmt statement, StoredRow row)
    {
        EventEnvelope envelope = row.Envelope;
        raw.sqlite3_bind_blob(statement, 2, row.Id);
        RawSql.BindText(statement, 3, envelope.Type);
        raw.sqlite3_bind_int(statement, 4, (int)envelope.Kind);
        RawSql.BindText(statement, 5, envelope.Source);
        RawSql.BindText(statement, 6, envelope.Target);
        RawSql.BindText(statement, 7, envelope.WorkflowId);
        RawSql.BindText(statement, 8, envelope.Phase);
        RawSql.BindText(statement, 9, envelope.CorrelationId);
        RawSql.BindBlob(statement, 10, row.Causation);
        raw.sqlite3_bind_int64(statement, 11, envelope.Timestamp.UtcTicks);
        RawSql.BindInt64(statement, 12, envelope.ExpiresAt?.UtcTicks);
        raw.sqlite3_bind_int(statement, 13, (int)envelope.Priority);
        raw.sqlite3_bind_int(statement, 14, envelope.SchemaVersion);
        RawSql.BindInt64(statement, 15, envelope.Persistence is { } level ? (int)level : null);
        RawSql.BindText(statement, 16, row.PayloadType);
        RawSql.BindBlob(statement, 17, row.Payload);
        RawSql.BindText(statement, 18, row.Metadata);
    }
}
