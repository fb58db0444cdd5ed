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

    /// <summary>Tries once for the file's lock.</summary>
    /// <returns>The lease, or null when another process (or another store on the file in this one) holds it.</returns>
    public static IEventLogLease? TryAcquire(string path, Func<ValueTask> flush)
    {
        try
        {
            return new SqliteLogLease(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1), flush);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
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
