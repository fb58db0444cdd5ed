using System.Threading.Channels;
using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// Group commit: one loop per store takes every append waiting when it is free and writes them in one transaction, so
/// concurrent publishers share a commit (and its WAL flush) instead of queueing for the append lock one by one. Each
/// caller's task completes once the transaction holding its events committed. The loop keeps one connection and opens
/// a new one after a failure.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    // A group stops growing at this many events so that one transaction stays short for readers and other instances.
    private const int MaxGroupEvents = 10_000;

    private readonly Channel<AppendRequest> _requests = Channel.CreateUnbounded<AppendRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly EventInserter _inserter;
    private readonly Func<NpgsqlException, EventStoreException> _failed;
    private readonly Action<long> _committed;
    private readonly Task _loop;
    private NpgsqlConnection? _connection;

    /// <param name="dataSource">Where the connection comes from.</param>
    /// <param name="inserter">Writes a group.</param>
    /// <param name="failed">Turns a driver error into the store's exception, which names the database.</param>
    /// <param name="committed">Called after each commit with the last position written (0 for none), to wake readers of the log.</param>
    public GroupCommitWriter(NpgsqlDataSource dataSource, EventInserter inserter, Func<NpgsqlException, EventStoreException> failed, Action<long> committed)
    {
        _dataSource = dataSource;
        _inserter = inserter;
        _failed = failed;
        _committed = committed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues an append and waits until it committed or was refused.</summary>
    /// <remarks>Cancelling stops the wait, not the append: once queued, it may still commit.</remarks>
    public Task<long> AppendAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(PostgreSqlEventStore), "The PostgreSQL event store is disposed; nothing more can be appended to it.");
        }

        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        List<AppendRequest> group = [];
        ChannelReader<AppendRequest> reader = _requests.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int events = 0;
            while (events < MaxGroupEvents && reader.TryRead(out AppendRequest? request))
            {
                group.Add(request);
                events += request.Events.Length;
            }

            await WriteGroupAsync(group).ConfigureAwait(false);
            group.Clear();

            // The callers just completed continue on the thread pool; going behind them lets those that append again
            // right away (a publisher in a loop) join the next group instead of waiting for the one after it.
            await Task.Yield();
        }
    }

    /// <summary>
    /// Writes the group in one transaction. If it fails, each request is tried alone, so that one request the database
    /// refuses (text it can not store, for example) fails only its own caller.
    /// </summary>
    private async Task WriteGroupAsync(List<AppendRequest> group)
    {
        if (await TryWriteAsync(group).ConfigureAwait(false) is not { } failure)
        {
            return;
        }

        if (group.Count == 1)
        {
            group[0].Completion.TrySetException(failure);
            return;
        }

        foreach (AppendRequest request in group)
        {
            if (await TryWriteAsync([request]).ConfigureAwait(false) is { } own)
            {
                request.Completion.TrySetException(own);
            }
        }
    }

    /// <summary>Writes and commits; completes the requests once committed.</summary>
    /// <returns>Null when committed, else why not (nothing of the requests is written then).</returns>
    private async Task<Exception?> TryWriteAsync(List<AppendRequest> requests)
    {
        long last = 0;
        bool checkStored = false;
        for (int attempt = 1; ; attempt++)
        {
            bool kept = _connection is not null;
            bool committing = false;
            try
            {
                _connection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
                NpgsqlTransaction transaction = await _connection.BeginTransactionAsync().ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    last = await _inserter.WriteAsync(_connection, transaction, requests, checkStored, CancellationToken.None).ConfigureAwait(false);
                    committing = true;
                    await transaction.CommitAsync().ConfigureAwait(false);
                }

                break;
            }
#pragma warning disable CA1031 // Whatever broke the transaction is its callers' failure; the loop goes on for the next group.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                bool broken = _connection is { State: not System.Data.ConnectionState.Open };
                if (broken)
                {
                    await _connection!.DisposeAsync().ConfigureAwait(false);
                    _connection = null;
                }

                foreach (AppendRequest request in requests)
                {
                    request.Refusal = null;
                }

                // An event of the group was stored already: the group again, skipping (or refusing) what is stored.
                if (!checkStored && EventInserter.IsDuplicate(exception))
                {
                    checkStored = true;
                    continue;
                }

                // The connection kept since the last group died while idle (a server restart, a failover): nothing was
                // committed, so the group is written once more on a new connection. A failure at the commit itself is
                // never retried, as its outcome is unknown.
                if (broken && kept && !committing && attempt == 1)
                {
                    continue;
                }

                return exception is NpgsqlException npgsql ? _failed(npgsql) : exception;
            }
        }

        _committed(last);
        foreach (AppendRequest request in requests)
        {
            request.Complete();
        }

        return null;
    }
}
