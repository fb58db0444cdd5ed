using System.Diagnostics;

namespace EventBus;

/// <summary>The publishing side: capacity, full modes and handing events to workers.</summary>
internal sealed partial class ChannelEventBus
{
    // Counters written by publishers on the rare full paths; Interlocked only. Accepted events are not counted here:
    // workers count what they take, and the backlog holds the rest (see GetStatistics), keeping the hot path lean.
    private long _rejected;
    private long _dropped;

    // Wait mode: events that handlers of wait-mode subscriptions published while the bus was full (see
    // AdmitOverCapacity); Interlocked only. The first such publish is logged, later ones only counted.
    private long _admittedOverCapacity;
    private int _overCapacityLogged;

    internal long AdmittedOverCapacityCount => Interlocked.Read(ref _admittedOverCapacity);

    /// <summary>Drop-oldest mode: events accepted beyond capacity that workers still have to evict. Interlocked only.</summary>
    internal long EvictionsOwed;

    public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        _strictCatalog?.Validate(envelope);
        ThrowIfNotAccepting();
        envelope = BusTracing.OnPublish(envelope, out Activity? activity);
        return activity is null && _store is null ? PublishCore(envelope, cancellationToken) : PublishStoredOrTracedAsync(envelope, activity, cancellationToken);
    }

    private async ValueTask PublishStoredOrTracedAsync(EventEnvelope envelope, Activity? activity, CancellationToken cancellationToken)
    {
        using (activity)
        {
            try
            {
                if (_store is not null)
                {
                    // Stored first: a critical event is durable before the bus accepts it and before publishing returns.
                    await _store.StoreAsync(envelope, cancellationToken).ConfigureAwait(false);
                }

                await PublishCore(envelope, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (activity is not null)
            {
                BusTracing.Fail(activity, exception);
                throw;
            }
        }
    }

    private ValueTask PublishCore(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (Backlog.TryReserve(1))
        {
            Accept(new DispatchItem(envelope, KeyHash(envelope), null));
            return ValueTask.CompletedTask;
        }

        return PublishWhenFullAsync(new DispatchItem(envelope, KeyHash(envelope), null), cancellationToken);
    }

    public bool TryPublish(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        _strictCatalog?.Validate(envelope);
        ThrowIfNotAccepting();
        envelope = BusTracing.OnPublish(envelope, out Activity? activity);
        using (activity)
        {
            _store?.StoreWithoutWaiting(envelope);
            return TryPublishCore(envelope);
        }
    }

    private bool TryPublishCore(EventEnvelope envelope)
    {
        DispatchItem item = new(envelope, KeyHash(envelope), null);
        if (Backlog.TryReserve(1))
        {
            Accept(item);
            return true;
        }

        switch (_options.FullMode)
        {
            case BusFullMode.DropOldest when AcceptWithEviction(item):
                return true;
            case BusFullMode.DropOldest:
            case BusFullMode.DropNewest:
                DropIncoming(item);
                return false;
            default:
                Reject(envelope);
                return false;
        }
    }

    public async ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        _strictCatalog?.Validate(envelope);
        ThrowIfNotAccepting();
        envelope = BusTracing.OnPublish(envelope, out Activity? activity);
        PublishTracker tracker = new(envelope.Id, Subscription.CurrentLane);
        DispatchItem item = new(envelope, KeyHash(envelope), tracker);
        InlineRoute route;
        bool inline;
        using (activity)
        {
            if (_store is not null)
            {
                await _store.StoreAsync(envelope, cancellationToken).ConfigureAwait(false);
            }

            if (!TryRouteInline(item, out route, out inline))
            {
                if (Backlog.TryReserve(1))
                {
                    Accept(item);
                }
                else
                {
                    await PublishWhenFullAsync(item, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (inline)
        {
            await FinishInlineAsync(route, item, cancellationToken).ConfigureAwait(false);
        }

        return await tracker.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        for (int i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i] is null)
            {
                throw new ArgumentException($"The batch holds null at index {i}; remove it. No event of the batch was published.", nameof(envelopes));
            }

            _strictCatalog?.Validate(envelopes[i]);
        }

        ThrowIfNotAccepting();
        int count = envelopes.Count;
        if (count == 0)
        {
            return;
        }

        using Activity? activity = BusTracing.StartBatch(count);
        envelopes = BusTracing.Enrich(envelopes);
        if (_store is not null)
        {
            await _store.StoreBatchAsync(envelopes, cancellationToken).ConfigureAwait(false);
        }

        if (Backlog.TryReserve(count))
        {
            for (int i = 0; i < count; i++)
            {
                Accept(new DispatchItem(envelopes[i], KeyHash(envelopes[i]), null));
            }

            return;
        }

        switch (_options.FullMode)
        {
            case BusFullMode.Reject:
                Interlocked.Add(ref _rejected, count);
                throw new EventBusFullException(
                    $"The event bus can not take a batch of {count} events: {Backlog.Count} of its {Backlog.Capacity} places are taken (EventBusOptions.Capacity). No event of the batch was published. Publish smaller batches, raise Capacity, or choose BusFullMode.Wait.");
            case BusFullMode.Wait when AdmitOverCapacity(count):
                foreach (EventEnvelope envelope in envelopes)
                {
                    Accept(new DispatchItem(envelope, KeyHash(envelope), null));
                }

                return;
            case BusFullMode.Wait:
                int next = 0;
                while (next < count)
                {
                    int chunk = Math.Min(count - next, Backlog.Capacity);
                    if (!await Backlog.ReserveAsync(chunk, cancellationToken).ConfigureAwait(false))
                    {
                        throw new EventBusStoppedException($"The event bus stopped while waiting for room; {next} of the batch's {count} events were published, the rest were not.");
                    }

                    for (int end = next + chunk; next < end; next++)
                    {
                        Accept(new DispatchItem(envelopes[next], KeyHash(envelopes[next]), null));
                    }
                }

                return;
            default:
                foreach (EventEnvelope envelope in envelopes)
                {
                    DispatchItem item = new(envelope, KeyHash(envelope), null);
                    if (Backlog.TryReserve(1))
                    {
                        Accept(item);
                    }
                    else if (_options.FullMode == BusFullMode.DropNewest || !AcceptWithEviction(item))
                    {
                        DropIncoming(item);
                    }
                }

                return;
        }
    }

    /// <summary>Called by a worker: takes one owed eviction, if any.</summary>
    internal bool TryTakeEviction()
    {
        if (Volatile.Read(ref EvictionsOwed) <= 0)
        {
            return false;
        }

        if (Interlocked.Decrement(ref EvictionsOwed) >= 0)
        {
            return true;
        }

        Interlocked.Increment(ref EvictionsOwed);
        return false;
    }

    /// <summary>Called by a worker for an event evicted by drop-oldest mode.</summary>
    internal void OnEvicted(in DispatchItem item)
    {
        Backlog.Release(1);
        CountBusDrop(item.Envelope);
        Log.EventDropped(Logger, Backlog.Capacity, "oldest", item.Envelope.Id, item.Envelope.Type);
        item.Tracker?.Fail(new EventBusFullException($"Event '{item.Envelope.Type}' ({item.Envelope.Id}) was dropped to make room: the bus was full (capacity {Backlog.Capacity}) and its mode is DropOldest."));
        AdjustOutstanding(-1);
    }

    private async ValueTask PublishWhenFullAsync(DispatchItem item, CancellationToken cancellationToken)
    {
        switch (_options.FullMode)
        {
            case BusFullMode.Wait when AdmitOverCapacity(1):
                Accept(item);
                return;
            case BusFullMode.Wait:
                if (!await Backlog.ReserveAsync(1, cancellationToken).ConfigureAwait(false))
                {
                    throw new EventBusStoppedException();
                }

                Accept(item);
                return;
            case BusFullMode.Reject:
                Reject(item.Envelope);
                throw new EventBusFullException(Backlog.Capacity, item.Envelope.Type);
            case BusFullMode.DropOldest when AcceptWithEviction(item):
                return;
            default:
                DropIncoming(item);
                return;
        }
    }

    /// <summary>
    /// Admits a publish beyond capacity, without waiting, when it comes from a handler of a wait-mode subscription
    /// (<see cref="SubscriptionFullMode.Wait"/>) of this bus. Making that handler wait could close a cycle: routing
    /// waits for room in the handler's full buffer, and the handler waits for routing to free room in the bus, so
    /// neither moves again. Such publishes are bounded by what handlers publish per event; each is counted.
    /// </summary>
    private bool AdmitOverCapacity(int count)
    {
        if (Subscription.Current is not { WaitsWhenFull: true } current || !ReferenceEquals(current.Bus, this))
        {
            return false;
        }

        Backlog.ForceReserve(count);
        Interlocked.Add(ref _admittedOverCapacity, count);
        if (Interlocked.Exchange(ref _overCapacityLogged, 1) == 0)
        {
            Log.AdmittedOverCapacity(Logger, current.Id, current.SubscriberId, Backlog.Capacity);
        }

        return true;
    }

    /// <summary>
    /// Accepts beyond capacity and owes one eviction. If the owed evictions already equal the capacity (producers
    /// outrun the workers), the bus stops growing and drops the incoming event instead.
    /// </summary>
    private bool AcceptWithEviction(in DispatchItem item)
    {
        if (Volatile.Read(ref EvictionsOwed) >= Backlog.Capacity)
        {
            return false;
        }

        Backlog.ForceReserve(1);
        Interlocked.Increment(ref EvictionsOwed);
        Accept(item);
        return true;
    }

    /// <summary>Called by a worker for every event it routes.</summary>
    internal void OnRouted(EventEnvelope envelope)
    {
        Metrics.Published.Add(1);
        Status?.OnRouted(envelope);
    }

    private void CountBusDrop(EventEnvelope envelope)
    {
        Interlocked.Increment(ref _dropped);
        Metrics.Dropped.Add(1, new KeyValuePair<string, object?>("eventbus.drop.site", "bus"));
        Status?.OnBusDropped(envelope);
    }

    private void DropIncoming(in DispatchItem item)
    {
        CountBusDrop(item.Envelope);
        Log.EventDropped(Logger, Backlog.Capacity, "newest", item.Envelope.Id, item.Envelope.Type);
        item.Tracker?.Fail(new EventBusFullException($"Event '{item.Envelope.Type}' ({item.Envelope.Id}) was dropped: the bus was full (capacity {Backlog.Capacity}) and its mode is {_options.FullMode}."));
    }

    private void Reject(EventEnvelope envelope)
    {
        Interlocked.Increment(ref _rejected);
        Log.EventRejected(Logger, Backlog.Capacity, envelope.Id, envelope.Type);
    }

    /// <summary>Hands a reserved event to its worker. The outstanding count rises first, so the event is never seen done before it is counted.</summary>
    private void Accept(in DispatchItem item)
    {
        Interlocked.Increment(ref _outstanding);
        if (!WorkerFor(item.KeyHash).TryWrite(item))
        {
            // The bus completed its workers' channels between the state check and this write: not accepted.
            Backlog.Release(1);
            AdjustOutstanding(-1);
            throw new EventBusStoppedException();
        }
    }
}
