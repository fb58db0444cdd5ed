namespace EventBus.Sqlite;

/// <summary>
/// A lease held as an exclusive lock on a small file beside the database: the operating system gives the lock back when
/// the file is closed or the process ends, so a crashed holder frees it at once. The file itself stays (deleting it
/// could let a waiter lock a file that no longer has the name). Before it gives the lock back, the store writes what is
/// queued (a relay's last checkpoint above all), so that the next holder starts where this one stopped.
/// </summary>
internal sealed class SqliteLogLease(FileStream file, Func<ValueTask> flush) : IEventLogLease
{
    /// <summary>Gets a token that is never cancelled: a lock on a local file is not lost while its process runs.</summary>
    public CancellationToken Lost => CancellationToken.None;

    /// <summary>Tries for the file's lock every <paramref name="retry"/> until it is free; with <paramref name="once"/>, once (null when held).</summary>
    public static async Task<IEventLogLease?> AcquireAsync(string path, Func<ValueTask> flush, TimeSpan retry, TimeProvider time, bool once, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new SqliteLogLease(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1), flush);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another process (or another store on the same file in this one).
            }

            if (once)
            {
                return null;
            }

            await Task.Delay(retry, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes what the store has queued, then closes the file, which gives the lock back.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await flush().ConfigureAwait(false);
        }
        finally
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
