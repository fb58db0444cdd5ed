namespace EventBus;

/// <summary>
/// Outstanding work: one unit per accepted event until it is routed, then one per delivery until the lane is done
/// with it. Zero means idle; <see cref="WaitForIdleAsync"/> rests on this count alone, never on a timer.
/// </summary>
internal sealed partial class ChannelEventBus
{
    private long _outstanding;

    // Completed and cleared each time the count reaches zero; installed by the first waiter after that.
    private TaskCompletionSource? _idle;

    public Task WaitForIdleAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource idle = Volatile.Read(ref _idle) ?? InstallIdleSignal();

        // Read after installing the signal: either this read sees zero or the last decrement sees the signal.
        return Volatile.Read(ref _outstanding) == 0 ? Task.CompletedTask : idle.Task.WaitAsync(cancellationToken);
    }

    public EventBusStatistics GetStatistics()
    {
        SubscriptionCounters totals;
        lock (_subscriptionLock)
        {
            totals = _retired;
        }

        Subscription[] live = SubscriptionSnapshot;
        foreach (Subscription subscription in live)
        {
            totals = Sum(totals, subscription.Counters);
        }

        return new EventBusStatistics
        {
            Published = Published(),
            Rejected = Interlocked.Read(ref _rejected),
            Dropped = Interlocked.Read(ref _dropped),
            AdmittedOverCapacity = Interlocked.Read(ref _admittedOverCapacity),
            Backlog = Math.Max(0, Backlog.Count),
            Outstanding = Volatile.Read(ref _outstanding),
            Subscriptions = live.Length,
            Matched = totals.Matched,
            Delivered = totals.Delivered,
            Failed = totals.Failed,
            SubscriptionDropped = totals.Dropped,
            Unhandled = totals.Unhandled,
            Filtered = totals.Filtered,
            Expired = totals.Expired,
            Retried = totals.Retried,
            DeadLettered = totals.DeadLettered,
            DeadLetterCount = DeadLetterQueue.Count,
            DeadLetterEvicted = DeadLetterQueue.Evicted,
            DeadLetterStoreFailures = DeadLetterQueue.StoreFailures,
            WorkersAlive = WorkersAlive,
            QueueDepthByPriority = QueueDepthByPriority(),
            SubscriptionDetails = [.. live.Select(SubscriptionStatistics.Of)],
        };
    }

    public EventBusHealthReport GetHealth(EventBusHealthOptions? thresholds = null)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        TimeSpan oldest = TimeSpan.Zero;
        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            TimeSpan lag = subscription.Lag(now);
            oldest = lag > oldest ? lag : oldest;
        }

        return EventBusHealthReport.Evaluate(
            thresholds ?? new EventBusHealthOptions(),
            State,
            Math.Max(0, Backlog.Count),
            Backlog.Capacity,
            WorkersAlive,
            _workers.Length,
            DeadLetterQueue.Count,
            DeadLetterQueue.Capacity,
            oldest);
    }

    internal long OutstandingCount => Volatile.Read(ref _outstanding);

    /// <summary>Gets the number of dispatch workers whose loop is running; equal to the worker count while the bus runs.</summary>
    internal int WorkersAlive => Volatile.Read(ref _workerTasks).Count(task => !task.IsCompleted);

    /// <summary>Events each worker has sorted by priority and not yet routed, summed over workers.</summary>
    internal IReadOnlyDictionary<EventPriority, long> QueueDepthByPriority()
    {
        Dictionary<EventPriority, long> depth = [];
        foreach (EventPriority priority in Enum.GetValues<EventPriority>())
        {
            long staged = 0;
            foreach (PartitionWorker worker in _workers)
            {
                staged += worker.StagedCount(priority);
            }

            depth[priority] = staged;
        }

        return depth;
    }

    internal IEnumerable<System.Diagnostics.Metrics.Measurement<long>> QueueDepthMeasurements()
    {
        long sorted = 0;
        foreach ((EventPriority priority, long depth) in QueueDepthByPriority())
        {
            sorted += depth;
            yield return new(depth, new KeyValuePair<string, object?>("eventbus.priority", priority.ToString()));
        }

        yield return new(Math.Max(0, Backlog.Count - sorted), new KeyValuePair<string, object?>("eventbus.priority", "unsorted"));
    }

    /// <summary>Accepted events: those the workers took (routed or evicted), those their publishers routed, and those still in the backlog.</summary>
    private long Published()
    {
        long taken = 0;
        foreach (PartitionWorker worker in _workers)
        {
            taken += worker.Taken;
        }

        return taken + Interlocked.Read(ref _routedInline) + Math.Max(0, Backlog.Count);
    }

    internal void AdjustOutstanding(long delta)
    {
        // The add is a full fence, so a waiter that installed its signal before reading the count is seen here.
        if (Interlocked.Add(ref _outstanding, delta) == 0 && Volatile.Read(ref _idle) is not null)
        {
            Interlocked.Exchange(ref _idle, null)?.TrySetResult();
        }
    }

    private TaskCompletionSource InstallIdleSignal()
    {
        TaskCompletionSource created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _idle, created, null) ?? created;
    }
}
