using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>The log: events read in position order after a checkpoint, and a signal when this store appended more.</summary>
public sealed partial class SqliteEventStore
{
    private readonly AppendedTail _tail = new();
    private TaskCompletionSource _appended = NewSignal();
    private long _lastAppended;

    /// <inheritdoc />
    public ValueTask<EventLogPage> ReadAfterAsync(long position, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_tail.TryReadAfter(position, maxCount) is { } page)
        {
            return ValueTask.FromResult(page);
        }

        try
        {
            return ValueTask.FromResult(_logReader.ReadAfter(position, maxCount, cancellationToken));
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading the log of");
        }
    }

    /// <inheritdoc />
    public async ValueTask WaitForAppendAsync(long position, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // The signal is taken before the position is checked: a commit in between completes this very signal.
        Task appended = Volatile.Read(ref _appended).Task;
        if (Interlocked.Read(ref _lastAppended) > position)
        {
            return;
        }

        try
        {
            await appended.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time to read again: another process may have appended to the file.
        }
    }

    /// <inheritdoc />
    public ValueTask<long> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            using SqliteConnection connection = Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT position FROM checkpoints WHERE name = $name;";
            command.Parameters.AddWithValue("$name", name);
            return ValueTask.FromResult(command.ExecuteScalar() is long position ? position : 0L);
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading a checkpoint from");
        }
    }

    /// <inheritdoc />
    public ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return EnqueueAsync(new WriteRequest(null, null, null, Checkpoint: (name, position)), cancellationToken);
    }

    /// <summary>Called by the writer after a commit that appended events up to <paramref name="position"/>.</summary>
    private void Appended(long position)
    {
        Interlocked.Exchange(ref _lastAppended, position);
        Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
    }
}
