namespace EventBus;

/// <summary>
/// Outstanding work: one unit per accepted event until it is routed, then one per delivery until the lane is done
/// with it. Zero means idle; <see cref="WaitForIdleAsync"/> rests on this count alone, never on a timer.
/// </summary>
internal sealed partial class ChannelEventBus
{
    private long _outstanding;

    // Deliveries that failed outside their handlers (see SubscriptionLane.Fault); Interlocked only.
    private long _laneFaults;

    /// <summary>Gets the deliveries that failed outside their handlers.</summary>
    internal long LaneFaults => Interlocked.Read(ref _laneFaults);

    internal void CountLaneFault() => Interlocked.Increment(ref _laneFaults);

    /// <summary>
    /// Gets the places of the capacity that full wait-mode subscriptions hold (not events waiting to be routed). Summed from
    /// the listed subscriptions when asked, so that holding and giving back a place costs no shared count on the hot
    /// path; a removed subscription's places are given back as its last events are discarded.
    /// </summary>
    internal long HeldPlaces
    {
        get
        {
            long held = 0;
            foreach (Subscription subscription in SubscriptionSnapshot)
            {
                held += subscription.PlacesHeld;
            }

            return held;
        }
    }

    /// <summary>Gets the events accepted and not yet routed: the backlog's count less the places subscriptions hold.</summary>
    private long Unrouted => Math.Max(0, Backlog.Count - HeldPlaces);

    // Set each time the count reaches zero.
    private readonly AsyncSignal _idle = new();

    public Task WaitForIdleAsync(CancellationToken cancellationToken = default)
    {
        Task idle = _idle.Next;

        // Read after taking the signal: either this read sees zero or the last decrement sees the signal.
        return Volatile.Read(ref _outstanding) == 0 ? Task.CompletedTask : idle.WaitAsync(cancellationToken);
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
            Backlog = Unrouted,
            HeldPlaces = HeldPlaces,
            LaneFaults = LaneFaults,
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
            oldest,
            LaneFaults);
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

        yield return new(Math.Max(0, Unrouted - sorted), new KeyValuePair<string, object?>("eventbus.priority", "unsorted"));
    }

    /// <summary>Accepted events: those the workers took (routed or evicted), those their publishers routed, and those still in the backlog.</summary>
    private long Published()
    {
        long taken = 0;
        foreach (PartitionWorker worker in _workers)
        {
            taken += worker.Taken;
        }

        return taken + Interlocked.Read(ref _routedInline) + Unrouted;
    }

    internal void AdjustOutstanding(long delta)
    {
        // The add is a full fence, so a waiter that took the signal before reading the count is seen here.
        if (Interlocked.Add(ref _outstanding, delta) == 0)
        {
            _idle.Set();
        }
    }
}
