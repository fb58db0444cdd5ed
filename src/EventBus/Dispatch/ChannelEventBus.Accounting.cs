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
            Backlog = Math.Max(0, Backlog.Count),
            Outstanding = Volatile.Read(ref _outstanding),
            Subscriptions = live.Length,
            Matched = totals.Matched,
            Delivered = totals.Delivered,
            Failed = totals.Failed,
            SubscriptionDropped = totals.Dropped,
            Unhandled = totals.Unhandled,
            Filtered = totals.Filtered,
        };
    }

    /// <summary>Accepted events: those the workers took (routed or evicted) plus those still in the backlog.</summary>
    private long Published()
    {
        long taken = 0;
        foreach (PartitionWorker worker in _workers)
        {
            taken += worker.Taken;
        }

        return taken + Math.Max(0, Backlog.Count);
    }

    internal void AdjustOutstanding(long delta)
    {
        if (Interlocked.Add(ref _outstanding, delta) == 0)
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
