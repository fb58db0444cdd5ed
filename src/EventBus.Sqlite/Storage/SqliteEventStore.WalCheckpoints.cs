using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>
/// Checkpoints of the write-ahead log, off the writer's path. SQLite's automatic checkpoint runs inside the commit that
/// crosses its threshold: that commit copies the log into the database and syncs both files, and every append queued
/// behind it waits (tens of milliseconds on a slow disk, the store's worst latency). The writer turns it off; after
/// about as much writing as SQLite's threshold, it asks a checkpointer with a connection of its own for a passive
/// checkpoint, which copies what no reader still needs while the writer goes on appending.
/// </summary>
public sealed partial class SqliteEventStore
{
    // SQLite checkpoints at 1,000 pages of log by default. A commit writes a page or more for each index it touches, and
    // an event of about 1 KiB about a page, so this many rows or commits is about that much log.
    private const int RowsPerCheckpoint = 1_000;
    private const int CommitsPerCheckpoint = 250;

    private readonly Channel<bool> _checkpointRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly Task _checkpointer;
    private int _rowsSinceCheckpoint;
    private int _commitsSinceCheckpoint;
    private long _walCheckpoints;
    private TaskCompletionSource _walCheckpointed = NewSignal();

    /// <summary>Gets the number of passive checkpoints of the write-ahead log the checkpointer ran.</summary>
    internal long WalCheckpoints => Interlocked.Read(ref _walCheckpoints);

    /// <summary>Gets a task that completes when the checkpointer finishes its next checkpoint.</summary>
    internal Task NextWalCheckpoint => Volatile.Read(ref _walCheckpointed).Task;

    /// <summary>Called by the writer after each commit: asks for a checkpoint once enough was written since the last one.</summary>
    private void Written(int rows)
    {
        _rowsSinceCheckpoint += rows;
        if (++_commitsSinceCheckpoint >= CommitsPerCheckpoint || _rowsSinceCheckpoint >= RowsPerCheckpoint)
        {
            (_rowsSinceCheckpoint, _commitsSinceCheckpoint) = (0, 0);

            // A request already waiting covers this one.
            _checkpointRequests.Writer.TryWrite(true);
        }
    }

    private async Task CheckpointLoopAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            await foreach (bool request in _checkpointRequests.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    connection ??= Open();

                    // The pragma rather than sqlite3_wal_checkpoint_v2: it reads the schema first, which attaches a new
                    // connection to the log (before that the call finds no log and does nothing). Busy, when another
                    // process's checkpoint holds the log, is a row, not an error: the next request checkpoints what is left.
                    using (SqliteCommand checkpoint = connection.CreateCommand())
                    {
                        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                        checkpoint.ExecuteNonQuery();
                    }

                    Interlocked.Increment(ref _walCheckpoints);
                    Interlocked.Exchange(ref _walCheckpointed, NewSignal()).TrySetResult();
                }
                catch (SqliteException exception)
                {
                    // The log only grows until a later checkpoint succeeds; appends and reads are not affected.
                    Log.CheckpointFailed(_logger, exception, _options.Path);
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
