using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// Knows the highest committed position and signals when it grows: appends by this store report it directly, and those
/// of other instances arrive as notifications on the schema's channel, which a connection of its own listens to from the
/// first wait on. While that connection is down, waiters fall back to reading again after their timeout.
/// </summary>
internal sealed class AppendListener(NpgsqlDataSource dataSource, string schema, string channel, TimeProvider time, Microsoft.Extensions.Logging.ILogger logger, string database) : IAsyncDisposable
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _starting = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _last;

    /// <summary>Gets the highest position known to be committed.</summary>
    public long Last => Interlocked.Read(ref _last);

    /// <summary>Gets a task that completes at the next commit reported.</summary>
    public Task Appended => Volatile.Read(ref _appended).Task;

    /// <summary>Records a commit whose last event is at <paramref name="position"/> and wakes the waiters.</summary>
    public void Committed(long position)
    {
        long known = Interlocked.Read(ref _last);
        while (position > known)
        {
            long seen = Interlocked.CompareExchange(ref _last, position, known);
            if (seen == known)
            {
                break;
            }

            known = seen;
        }

        Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Starts listening, once; completes when the first attempt to listen succeeded or failed.</summary>
    public Task StartAsync()
    {
        lock (_starting)
        {
            _loop ??= Task.Run(ListenAsync);
        }

        return _listening.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task ListenAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                NpgsqlConnection connection = await dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
                connection.Notification += (_, notification) =>
                {
                    if (long.TryParse(notification.Payload, System.Globalization.CultureInfo.InvariantCulture, out long position))
                    {
                        Committed(position);
                    }
                };
                NpgsqlCommand listen = new($"LISTEN {channel}; SELECT coalesce(max(position), 0) FROM {schema}.events", connection);
                await using (listen.ConfigureAwait(false))
                {
                    // What was committed before the listening began.
                    Committed((long)(await listen.ExecuteScalarAsync(stopping).ConfigureAwait(false))!);
                }

                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A lost connection only slows the waiters down to their timeout; listening starts again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.ListeningFailed(logger, exception, database, Reconnect);
                _listening.TrySetResult();
            }

            try
            {
                await Task.Delay(Reconnect, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
