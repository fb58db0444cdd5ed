using System.Runtime.CompilerServices;

namespace EventBus.Tests.Transport;

/// <summary>
/// A store whose log other processes share, reduced to what a relay uses: events in append order, checkpoints, and one
/// lease per name that a test can hold, hand over or make the holder lose. It signals what the relay does with it.
/// </summary>
internal sealed class SharedLog : IEventStore, IEventLog, IEventLogLeases
{
    private readonly Lock _gate = new();
    private readonly List<EventEnvelope> _events = [];
    private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lease = new(1, 1);
    private TaskCompletionSource _appended = NewSignal();
    private TaskCompletionSource _checkpointMoved = NewSignal();
    private Exception? _checkpointFailure;

    /// <summary>Gets how many times a lease was taken.</summary>
    public int Acquisitions { get; private set; }

    /// <summary>Gets the lease held now, if any.</summary>
    public Lease? Holder { get; private set; }

    /// <summary>Gets a signal set when a relay, following the log, was told to stop (its wait for appends was cancelled).</summary>
    public TaskCompletionSource FollowingStopped { get; } = NewSignal();

    /// <summary>Gets a signal set when a relay, having read every event (at least one), waits for appends.</summary>
    public TaskCompletionSource CaughtUp { get; } = NewSignal();

    /// <summary>Gets a signal set when someone waits for a lease that is held.</summary>
    public TaskCompletionSource LeaseAwaited { get; } = NewSignal();

    public long Checkpoint(string name)
    {
        lock (_gate)
        {
            return _checkpoints.GetValueOrDefault(name);
        }
    }

    /// <summary>Waits until the checkpoint <paramref name="name"/> reached <paramref name="position"/>.</summary>
    public async Task WaitForCheckpointAsync(string name, long position)
    {
        while (true)
        {
            Task moved;
            lock (_gate)
            {
                if (_checkpoints.GetValueOrDefault(name) >= position)
                {
                    return;
                }

                moved = _checkpointMoved.Task;
            }

            await moved.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    public async ValueTask<IEventLogLease> AcquireLeaseAsync(string name, CancellationToken cancellationToken = default)
    {
        // As a database's would, taking the lease completes asynchronously even when it is free.
        await Task.Yield();
        if (!_lease.Wait(0, CancellationToken.None))
        {
            LeaseAwaited.TrySetResult();
            await _lease.WaitAsync(cancellationToken);
        }

        Acquisitions++;
        Holder = new Lease(this);
        return Holder;
    }

    public ValueTask<IEventLogLease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!_lease.Wait(0, CancellationToken.None))
        {
            LeaseAwaited.TrySetResult();
            return ValueTask.FromResult<IEventLogLease?>(null);
        }

        Acquisitions++;
        Holder = new Lease(this);
        return ValueTask.FromResult<IEventLogLease?>(Holder);
    }

    public ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default) =>
        AppendBatchAsync([envelope], level, cancellationToken);

    public ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _events.AddRange(envelopes);
            Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<EventLogPage> ReadAfterAsync(long position, int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            EventEnvelope[] page = [.. _events.Skip((int)position).Take(maxCount)];
            return ValueTask.FromResult(new EventLogPage { Events = page, Position = position + page.Length });
        }
    }

    public async ValueTask WaitForAppendAsync(long position, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task appended;
        lock (_gate)
        {
            if (_events.Count > position)
            {
                return;
            }

            appended = _appended.Task;
        }

        if (position > 0)
        {
            CaughtUp.TrySetResult();
        }

        try
        {
            await appended.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            FollowingStopped.TrySetResult();
            throw;
        }
    }

    public ValueTask<long> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default) => ValueTask.FromResult(Checkpoint(name));

    /// <summary>Gets or sets a gate every checkpoint save waits for before it is saved; null saves at once.</summary>
    public TaskCompletionSource? HoldCheckpoints { get; set; }

    /// <summary>Gets a signal set when a checkpoint save threw <see cref="FailNextCheckpoint"/>.</summary>
    public TaskCompletionSource CheckpointFailed { get; } = NewSignal();

    /// <summary>Gets or sets a failure the next checkpoint save throws (once).</summary>
    public Exception? FailNextCheckpoint
    {
        get => Volatile.Read(ref _checkpointFailure);
        set => Volatile.Write(ref _checkpointFailure, value);
    }

    public async ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        if (HoldCheckpoints is { } hold)
        {
            await hold.Task;
        }

        if (Interlocked.Exchange(ref _checkpointFailure, null) is { } failure)
        {
            CheckpointFailed.TrySetResult();
            throw failure;
        }

        lock (_gate)
        {
            _checkpoints[name] = Math.Max(position, _checkpoints.GetValueOrDefault(name));
            Interlocked.Exchange(ref _checkpointMoved, NewSignal()).TrySetResult();
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_events.FirstOrDefault(e => e.Id == eventId));
        }
    }

    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException("The relay does not query.");

    public async IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult((long)_events.Count);
        }
    }

    public ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The lease: given back when disposed; <see cref="Lose"/> takes it away as a broken connection would.</summary>
    internal sealed class Lease(SharedLog log) : IEventLogLease
    {
        private readonly CancellationTokenSource _lost = new();
        private int _released;

        public CancellationToken Lost => _lost.Token;

        /// <summary>The lease is gone (another process may take it at once); its holder is told through <see cref="Lost"/>.</summary>
        public void Lose()
        {
            Release();
            _lost.Cancel();
        }

        public ValueTask DisposeAsync()
        {
            Release();
            return ValueTask.CompletedTask;
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                log._lease.Release();
            }
        }
    }
}
