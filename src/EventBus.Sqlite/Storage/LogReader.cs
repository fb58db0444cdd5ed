using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// Reads pages of the log for the relays that follow it, on a connection and a prepared statement kept for the store's
/// life: a relay reads after every commit, and opening a connection and preparing the query each time cost more than
/// reading a few rows. One reader at a time; the statement is reset after each page, so no read transaction stays open
/// to hold back checkpoints.
/// </summary>
internal sealed class LogReader(Func<SqliteConnection> open, PayloadSerializer payloads, string columns) : IDisposable
{
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private sqlite3_stmt? _statement;
    private bool _disposed;

    public EventLogPage ReadAfter(long position, int maxCount, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _connection ??= open();
                _statement ??= RawSql.Prepare(_connection, $"SELECT {columns} FROM events WHERE position > ?1 ORDER BY position LIMIT ?2;");
                raw.sqlite3_bind_int64(_statement, 1, position);
                raw.sqlite3_bind_int(_statement, 2, maxCount);
                RowDecoder decoder = new(payloads);
                List<EventEnvelope> events = [];
                long last = position;
                try
                {
                    while (RawSql.Next(_connection, _statement))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        last = raw.sqlite3_column_int64(_statement, 0);
                        events.Add(decoder.Decode(_statement));
                    }
                }
                finally
                {
                    raw.sqlite3_reset(_statement);
                }

                return new EventLogPage { Events = events, Position = last };
            }
            catch (SqliteException)
            {
                // Start over with a new connection next time: this one may be what failed.
                Close();
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            Close();
        }
    }

    private void Close()
    {
        _statement?.Dispose();
        _connection?.Dispose();
        (_statement, _connection) = (null, null);
    }
}
