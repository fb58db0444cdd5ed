namespace EventBus;

/// <summary>
/// The subscription registry: a copy-on-write array, and a routing index built from it lazily, so that a burst of
/// subscription changes costs one rebuild. Workers read both without locking.
/// </summary>
internal sealed partial class ChannelEventBus
{
    // Writers (subscribe, remove) replace the array under the lock; workers read the current array lock-free.
    private readonly Lock _subscriptionLock = new();
    private Subscription[] _subscriptions = [];

    // Null after a change; rebuilt under the lock by the first worker that routes afterwards.
    private SubscriptionIndex? _index = SubscriptionIndex.Empty;
    private long _subscriptionSequence;

    // Counters of removed subscriptions, folded in when their last lane ends; guarded by _subscriptionLock.
    private SubscriptionCounters _retired;

    public event EventHandler? SubscriptionsChanged;

    public IReadOnlyList<ISubscription> Subscriptions => Volatile.Read(ref _subscriptions);

    internal Subscription[] SubscriptionSnapshot => Volatile.Read(ref _subscriptions);

    /// <summary>Gets the routing index for the current subscriptions, rebuilding it after a change.</summary>
    internal SubscriptionIndex CurrentIndex => Volatile.Read(ref _index) ?? RebuildIndex();

    public ISubscription Subscribe(EventFilter filter, Func<EventEnvelope, CancellationToken, ValueTask> handler, SubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new SubscriptionOptions();
        options.Validate(nameof(options));
        if (IsStopping)
        {
            throw new EventBusStoppedException("The event bus is stopping or stopped; it no longer accepts subscriptions. Subscribe before stopping, or create a new bus.");
        }

        Subscription subscription = new(this, filter, handler, options, options.BufferCapacity ?? _options.SubscriptionBufferCapacity, options.FullMode ?? _options.SubscriptionFullMode)
        {
            Sequence = Interlocked.Increment(ref _subscriptionSequence),
        };
        subscription.Start();
        lock (_subscriptionLock)
        {
            _subscriptions = [.. _subscriptions, subscription];
            Volatile.Write(ref _index, null);
        }

        Log.SubscriptionAdded(Logger, subscription.Id, subscription.SubscriberId, filter.Description);
        SubscriptionsChanged?.Invoke(this, EventArgs.Empty);
        return subscription;
    }

    internal void Remove(Subscription subscription)
    {
        lock (_subscriptionLock)
        {
            int index = Array.IndexOf(_subscriptions, subscription);
            if (index < 0)
            {
                return;
            }

            Subscription[] next = new Subscription[_subscriptions.Length - 1];
            Array.Copy(_subscriptions, 0, next, 0, index);
            Array.Copy(_subscriptions, index + 1, next, index, next.Length - index);
            _subscriptions = next;
            Volatile.Write(ref _index, null);
        }

        SubscriptionsChanged?.Invoke(this, EventArgs.Empty);
    }

    private SubscriptionIndex RebuildIndex()
    {
        lock (_subscriptionLock)
        {
            SubscriptionIndex index = _index ?? new SubscriptionIndex(_subscriptions);
            Volatile.Write(ref _index, index);
            return index;
        }
    }

    /// <summary>Folds a removed subscription's settled counters into the totals, which keep counting it once it is gone.</summary>
    internal void Retire(SubscriptionCounters counters)
    {
        lock (_subscriptionLock)
        {
            _retired = Sum(_retired, counters);
        }
    }

    /// <summary>A retired subscription discarded one more event (routed to it from an index read before its removal).</summary>
    internal void RetireLateDiscard()
    {
        lock (_subscriptionLock)
        {
            _retired = _retired with { Matched = _retired.Matched + 1, Unhandled = _retired.Unhandled + 1 };
        }
    }

    private static SubscriptionCounters Sum(SubscriptionCounters a, SubscriptionCounters b) => new()
    {
        Matched = a.Matched + b.Matched,
        Delivered = a.Delivered + b.Delivered,
        Failed = a.Failed + b.Failed,
        Dropped = a.Dropped + b.Dropped,
        Unhandled = a.Unhandled + b.Unhandled,
        Pending = a.Pending + b.Pending,
        Filtered = a.Filtered + b.Filtered,
        Expired = a.Expired + b.Expired,
        Retried = a.Retried + b.Retried,
        DeadLettered = a.DeadLettered + b.DeadLettered,
    };

    /// <summary>Finds the first live subscription with a subscriber id, for dead letters that outlived their subscription's id.</summary>
    internal Subscription? FindLiveSubscription(string subscriberId)
    {
        if (IsStopping)
        {
            return null;
        }

        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            if (!subscription.IsRemoved && string.Equals(subscription.SubscriberId, subscriberId, StringComparison.Ordinal))
            {
                return subscription;
            }
        }

        return null;
    }

    /// <summary>Finds a listed, not removed subscription by id, while the bus still runs.</summary>
    internal Subscription? FindLiveSubscription(Guid id)
    {
        if (IsStopping)
        {
            return null;
        }

        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            if (subscription.Id == id && !subscription.IsRemoved)
            {
                return subscription;
            }
        }

        return null;
    }

    private long TotalUnhandled()
    {
        long total;
        lock (_subscriptionLock)
        {
            total = _retired.Unhandled;
        }

        foreach (Subscription subscription in SubscriptionSnapshot)
        {
            total += subscription.Counters.Unhandled;
        }

        return total;
    }
}
