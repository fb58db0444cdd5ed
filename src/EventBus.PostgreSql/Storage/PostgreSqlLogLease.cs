using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// A lease held as a session-level advisory lock on a connection of its own. PostgreSQL releases the lock when that
/// connection ends, so a process that dies frees it at once. A heartbeat on the connection notices when it broke (the
/// lock is gone then, and another instance may hold it) and cancels <see cref="Lost"/>.
/// </summary>
internal sealed class PostgreSqlLogLease : IEventLogLease
{
    private readonly NpgsqlConnection _connection;
    private readonly (int Space, int Key) _lock;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _heartbeat;

    private PostgreSqlLogLease(NpgsqlConnection connection, (int Space, int Key) key, TimeSpan heartbeat, TimeProvider time, Action<Exception> lost)
    {
        _connection = connection;
        _lock = key;
        _heartbeat = BeatAsync(heartbeat, time, lost);
    }

    public CancellationToken Lost => _lost.Token;

    /// <summary>Tries once for the lock, on a connection that the lease keeps.</summary>
    /// <param name="dataSource">Where the lease's connection comes from.</param>
    /// <param name="key">The advisory lock's two keys: the schema's space and the lease's name.</param>
    /// <param name="heartbeat">How often the holder checks its connection.</param>
    /// <param name="time">The clock for the heartbeat.</param>
    /// <param name="lost">Told why, when the lease is lost.</param>
    /// <param name="cancellationToken">Stops trying.</param>
    /// <returns>The lease, or null when another session holds the lock.</returns>
    public static async Task<IEventLogLease?> TryAcquireAsync(NpgsqlDataSource dataSource, (int Space, int Key) key, TimeSpan heartbeat, TimeProvider time, Action<Exception> lost, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NpgsqlCommand tryLock = new("SELECT pg_try_advisory_lock($1, $2)", connection) { Parameters = { new() { Value = key.Space }, new() { Value = key.Key } } };
            await using (tryLock.ConfigureAwait(false))
            {
                if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return new PostgreSqlLogLease(connection, key, heartbeat, time, lost);
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Gives the lock back and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                NpgsqlCommand unlock = new("SELECT pg_advisory_unlock($1, $2)", _connection) { Parameters = { new() { Value = _lock.Space }, new() { Value = _lock.Key } } };
                await using (unlock.ConfigureAwait(false))
                {
                    await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
                }
            }
            catch (NpgsqlException)
            {
                // The connection broke: the server released the lock with it.
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _lost.Dispose();
        _disposed.Dispose();
    }

    private async Task BeatAsync(TimeSpan interval, TimeProvider time, Action<Exception> lost)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, _disposed.Token).ConfigureAwait(false);
                NpgsqlCommand ping = new("SELECT 1", _connection);
                await using (ping.ConfigureAwait(false))
                {
                    await ping.ExecuteNonQueryAsync(_disposed.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Any failure of the connection means the lock may be gone: the lease is lost.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            lost(exception);
            await _lost.CancelAsync().ConfigureAwait(false);
        }
    }
}
