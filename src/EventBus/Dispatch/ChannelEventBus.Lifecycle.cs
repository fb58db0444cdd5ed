namespace EventBus;

/// <summary>Start, stop with drain, and disposal.</summary>
internal sealed partial class ChannelEventBus
{
    private readonly Lock _lifecycleLock = new();
    private volatile EventBusState _state = EventBusState.Created;
    private volatile bool _abandoned;
    private Task[] _workerTasks = [];
    private Task<DrainReport>? _stopping;

    public EventBusState State => _state;

    /// <summary>Gets a value indicating whether the bus has begun to stop.</summary>
    internal bool IsStopping => _state >= EventBusState.Stopping;

    /// <summary>Gets a value indicating whether the drain deadline passed: lanes discard what is left.</summary>
    internal bool IsAbandoned => _abandoned;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycleLock)
        {
            if (IsRunningOrThrowIfStopped())
            {
                return;
            }
        }

        // Dead letters kept in the store come back before the workers start, so none added later precedes them.
        await DeadLetterQueue.RestoreAsync(cancellationToken).ConfigureAwait(false);
        await CaptureEmptyContextAsync().ConfigureAwait(false);
        lock (_lifecycleLock)
        {
            if (IsRunningOrThrowIfStopped())
            {
                return;
            }

            StartWorkers();
            _state = EventBusState.Running;
        }

        Log.Started(Logger, _workers.Length, _options.Capacity, _options.FullMode, Backlog.Count);
    }

    public Task<DrainReport> StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycleLock)
        {
            return _stopping ??= StopCoreAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Called under the lifecycle lock: true when already running; throws when stopping or stopped.</summary>
    private bool IsRunningOrThrowIfStopped() => _state switch
    {
        EventBusState.Running => true,
        EventBusState.Stopping or EventBusState.Stopped => throw new InvalidOperationException("The event bus was stopped and can not be started again; create a new bus (or a new host)."),
        _ => false,
    };

    private void ThrowIfNotAccepting()
    {
        if (_state >= EventBusState.Stopping)
        {
            throw new EventBusStoppedException();
        }
    }

    /// <summary>Closes the workers' channels (once; later calls do nothing) and wakes paused lanes so they account for what they hold.</summary>
    private void CompleteWorkers()
    {
        foreach (PartitionWorker worker in _workers)
        {
            worker.Complete();
        }

        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            subscription.OnBusStopping();
        }
    }

    private void StartWorkers()
    {
        Task[] tasks = new Task[_workers.Length];
        using (ExecutionContext.SuppressFlow())
        {
            for (int i = 0; i < _workers.Length; i++)
            {
                tasks[i] = Task.Run(_workers[i].RunAsync);
            }
        }

        _workerTasks = tasks;
    }

    private async Task<DrainReport> StopCoreAsync(CancellationToken cancellationToken)
    {
        long started = TimeProvider.GetTimestamp();
        long unhandledBefore = TotalUnhandled();
        bool neverStarted;
        lock (_lifecycleLock)
        {
            neverStarted = _state == EventBusState.Created;
            _state = EventBusState.Stopping;
        }

        // Close the gate before any worker frees room, so a publisher still waiting is refused, not accepted.
        Backlog.Close();
        if (neverStarted)
        {
            // A bus stopped before it started still drains the events it held.
            StartWorkers();
        }

        Log.Stopping(Logger, Volatile.Read(ref _outstanding), _options.DrainTimeout);
        bool drained;
        using (CancellationTokenSource deadline = new(_options.DrainTimeout, TimeProvider))
        using (CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken))
        {
            try
            {
                // Publishers already storing an event hand it over before the workers' channels close: an event that
                // reached the store is never refused afterwards (unless its write outlasts the drain deadline).
                await AdmissionsDoneAsync().WaitAsync(linked.Token).ConfigureAwait(false);
                CompleteWorkers();
                await Task.WhenAll(_workerTasks).WaitAsync(linked.Token).ConfigureAwait(false);
                await WaitForIdleAsync(linked.Token).ConfigureAwait(false);
                drained = true;
            }
            catch (OperationCanceledException)
            {
                CompleteWorkers();
                drained = false;
            }
        }

        if (!drained)
        {
            // Past the deadline: lanes discard what they hold and handlers' tokens are cancelled.
            _abandoned = true;
            await _handlerCancellation.CancelAsync().ConfigureAwait(false);
        }

        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            subscription.CompleteLanes();
        }

        // A handler that honours its token ends at once once the drain is abandoned, so the bus waits (as long again, at
        // most) for the deliveries to settle and the lanes to end, and the report then states what the counters state,
        // not a count taken mid-way.
        using (CancellationTokenSource grace = new(_options.DrainTimeout, TimeProvider))
        using (CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken))
        {
            try
            {
                if (!drained)
                {
                    await WaitForIdleAsync(linked.Token).ConfigureAwait(false);
                }

                await LaneLoopsEndedAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Deliveries still pending are reported as such.
            }
        }

        // Dead letters of the drain reach the store before the bus reports itself stopped; later changes are counted.
        await DeadLetterQueue.CompleteAsync().ConfigureAwait(false);
        _state = EventBusState.Stopped;
        long unhandled = TotalUnhandled() - unhandledBefore;
        long pending = Volatile.Read(ref _outstanding);
        TimeSpan elapsed = TimeProvider.GetElapsedTime(started);
        bool completed = drained && unhandled == 0 && pending == 0;
        if (completed)
        {
            Log.Stopped(Logger, elapsed);
        }
        else
        {
            Log.StoppedIncomplete(Logger, elapsed, unhandled, pending);
        }

        return new DrainReport { Completed = completed, UnhandledDeliveries = unhandled, PendingDeliveries = pending, Elapsed = elapsed };
    }

    /// <summary>
    /// Waits for the lane loops of the listed subscriptions, which end once they have settled what they hold. A loop that
    /// failed (a defect: deliveries catch their own faults) is logged, so that it never goes unnoticed.
    /// </summary>
    private async Task LaneLoopsEndedAsync(CancellationToken cancellationToken)
    {
        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            foreach (Task loop in subscription.LaneLoops ?? [])
            {
                try
                {
                    await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Log.LaneLoopFailed(Logger, exception, subscription.Id, subscription.SubscriberId);
                }
            }
        }
    }
}
