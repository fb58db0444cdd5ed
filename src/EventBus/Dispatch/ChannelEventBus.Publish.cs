using System.Diagnostics;

namespace EventBus;

/// <summary>The publishing side: capacity, full modes and handing events to workers.</summary>
internal sealed partial class ChannelEventBus
{
    // Counters written by publishers on the rare full paths; Interlocked only. Accepted events are not counted here:
    // workers count what they take, and the backlog holds the rest (see GetStatistics), keeping the hot path lean.
    private long _rejected;
    private long _dropped;

    // Wait mode: events that handlers published while the bus was full (see AdmitOverCapacity); Interlocked only.
    // The first such publish is logged, later ones only counted.
    private long _admittedOverCapacity;
    private int _overCapacityLogged;

    internal long AdmittedOverCapacityCount => Interlocked.Read(ref _admittedOverCapacity);

    /// <summary>Drop-oldest mode: events accepted beyond capacity that workers still have to evict. Interlocked only.</summary>
    internal long EvictionsOwed;

    /// <summary>Checks what every publish checks before anything of it is accepted: the catalogue (in strict mode) and the size limits.</summary>
    private void Validate(EventEnvelope envelope, string paramName)
    {
        _strictCatalog?.Validate(envelope);
        _limits.ThrowIfExceeded(envelope, paramName);
    }

    public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Validate(envelope, nameof(envelope));
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
                if (_store is null)
                {
                    await PublishCore(envelope, cancellationToken).ConfigureAwait(false);
                    return;
                }

                // Room first, then the store: an event the bus refuses or drops on arrival is never stored. A critical event
                // is durable before the bus accepts it and before publishing returns.
                DispatchItem item = new(envelope, KeyHash(envelope), null);
                Reservation reservation = Backlog.TryReserve(1) ? Reservation.Place : await ReserveWhenFullAsync(item, cancellationToken).ConfigureAwait(false);
                if (reservation != Reservation.None)
                {
                    await StoreAndAcceptAsync([envelope], reservation, cancellationToken).ConfigureAwait(false);
                }
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

    private async ValueTask PublishWhenFullAsync(DispatchItem item, CancellationToken cancellationToken)
    {
        if (await ReserveWhenFullAsync(item, cancellationToken).ConfigureAwait(false) != Reservation.None)
        {
            Accept(item);
        }
    }

    public bool TryPublish(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Validate(envelope, nameof(envelope));
        ThrowIfNotAccepting();
        _store?.ThrowIfCritical(envelope);
        envelope = BusTracing.OnPublish(envelope, out Activity? activity);
        using (activity)
        {
            DispatchItem item = new(envelope, KeyHash(envelope), null);
            Reservation reservation = TryReserveNow(item);
            if (reservation == Reservation.None)
            {
                return false;
            }

            if (_store is null)
            {
                Accept(item);
                return true;
            }

            EnterAdmissionOrRelease(reservation);
            try
            {
                try
                {
                    _store.StoreWithoutWaiting(envelope);
                }
                catch
                {
                    ReleaseReservation(reservation);
                    throw;
                }

                Accept(item);
            }
            finally
            {
                ExitAdmission();
            }

            return true;
        }
    }

    public async ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Validate(envelope, nameof(envelope));
        ThrowIfNotAccepting();
        envelope = BusTracing.OnPublish(envelope, out Activity? activity);
        PublishTracker tracker = new(envelope.Id, Subscription.CurrentLane);
        DispatchItem item = new(envelope, KeyHash(envelope), tracker);
        InlineRoute route = default;
        bool inline = false;
        using (activity)
        {
            if (_store is not null)
            {
                (route, inline) = await PublishStoredAndWaitAsync(item, cancellationToken).ConfigureAwait(false);
            }
            else if (!TryRouteInline(item, out route, out inline))
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

    /// <summary>Publish-and-wait with a store: room, then the store, then the event is routed inline (when the bus is idle) or handed to its worker.</summary>
    private async ValueTask<(InlineRoute Route, bool Inline)> PublishStoredAndWaitAsync(DispatchItem item, CancellationToken cancellationToken)
    {
        Reservation reservation = Backlog.TryReserve(1) ? Reservation.Place : await ReserveWhenFullAsync(item, cancellationToken).ConfigureAwait(false);
        if (reservation == Reservation.None)
        {
            return default; // Dropped on arrival: the tracker already holds the failure.
        }

        EnterAdmissionOrRelease(reservation);
        try
        {
            await StoreOrReleaseAsync([item.Envelope], reservation, cancellationToken).ConfigureAwait(false);
            if (TryRouteInline(item, out InlineRoute route, out bool inline))
            {
                // Routed by the publisher, so it never used the place it reserved.
                ReleaseReservation(reservation);
                return (route, inline);
            }

            Accept(item);
            return default;
        }
        finally
        {
            ExitAdmission();
        }
    }

    public async ValueTask<BatchPublishResult> PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        Guid batchId = Guid.CreateVersion7(TimeProvider.GetUtcNow());
        string batchTag = batchId.ToString();
        EventEnvelope[] batch = new EventEnvelope[envelopes.Count];
        for (int i = 0; i < batch.Length; i++)
        {
            if (envelopes[i] is null)
            {
                throw new ArgumentException($"The batch holds null at index {i}; remove it. No event of the batch was published.", nameof(envelopes));
            }

            batch[i] = envelopes[i].WithMetadata(EventMetadataKeys.BatchId, batchTag);
            Validate(batch[i], nameof(envelopes));
        }

        ThrowIfNotAccepting();
        if (batch.Length == 0)
        {
            return new BatchPublishResult { BatchId = batchId, Accepted = 0, Events = batch };
        }

        using Activity? activity = BusTracing.StartBatch(batch.Length);
        IReadOnlyList<EventEnvelope> published = BusTracing.Enrich(batch);
        int accepted = await PublishBatchCoreAsync(published, cancellationToken).ConfigureAwait(false);
        return new BatchPublishResult { BatchId = batchId, Accepted = accepted, Events = published };
    }

    /// <summary>Stores and accepts a validated batch; returns how many events were accepted (fewer only in drop modes).</summary>
    private async ValueTask<int> PublishBatchCoreAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        int count = envelopes.Count;
        if (Backlog.TryReserve(count))
        {
            await StoreAndAcceptAsync(envelopes, new Reservation(count), cancellationToken).ConfigureAwait(false);
            return count;
        }

        switch (_options.FullMode)
        {
            case BusFullMode.Reject:
                Interlocked.Add(ref _rejected, count);
                throw new EventBusFullException(
                    $"The event bus can not take a batch of {count} events: {Backlog.Count} of its {Backlog.Capacity} places are taken (EventBusOptions.Capacity). No event of the batch was published. Publish smaller batches, raise Capacity, or choose BusFullMode.Wait.");
            case BusFullMode.Wait when AdmitOverCapacity(count):
                await StoreAndAcceptAsync(envelopes, new Reservation(count), cancellationToken).ConfigureAwait(false);
                return count;
            case BusFullMode.Wait:
                int next = 0;
                while (next < count)
                {
                    int chunk = Math.Min(count - next, Backlog.Capacity);
                    if (!await Backlog.ReserveAsync(chunk, cancellationToken).ConfigureAwait(false))
                    {
                        throw new EventBusStoppedException($"The event bus stopped while waiting for room; {next} of the batch's {count} events were published, the rest were not.");
                    }

                    await StoreAndAcceptAsync(Slice(envelopes, next, chunk), new Reservation(chunk), cancellationToken).ConfigureAwait(false);
                    next += chunk;
                }

                return count;
            default:
                // Drop modes decide event by event; only the events that found room are stored and accepted.
                List<EventEnvelope> accepted = new(count);
                Reservation taken = new(0);
                foreach (EventEnvelope envelope in envelopes)
                {
                    Reservation one = TryReserveNow(new DispatchItem(envelope, KeyHash(envelope), null));
                    if (one != Reservation.None)
                    {
                        accepted.Add(envelope);
                        taken = new Reservation(taken.Places + 1, taken.Evictions + one.Evictions);
                    }
                }

                if (accepted.Count > 0)
                {
                    await StoreAndAcceptAsync(accepted, taken, cancellationToken).ConfigureAwait(false);
                }

                return accepted.Count;
        }
    }

    private static IReadOnlyList<EventEnvelope> Slice(IReadOnlyList<EventEnvelope> envelopes, int start, int count) =>
        start == 0 && count == envelopes.Count ? envelopes : [.. envelopes.Skip(start).Take(count)];

    /// <summary>
    /// Admits a publish beyond capacity, without waiting, when it comes from a handler of this bus. Making a handler
    /// wait for room could close a cycle: room may be held by a full wait-mode subscription (see
    /// <see cref="Subscription.Admit"/>) that waits, directly or through other handlers, for this very handler to finish, and
    /// the bus can not see every such chain (a query and its response, say). Such publishes are bounded by what
    /// handlers publish per event; each is counted, and the first is logged.
    /// </summary>
    private bool AdmitOverCapacity(int count)
    {
        if (Subscription.Current is not { } current || !ReferenceEquals(current.Bus, this))
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
    /// Reserves a place beyond capacity and owes one eviction. If the owed evictions already equal the capacity
    /// (producers outrun the workers), the bus stops growing and the caller drops the incoming event instead.
    /// </summary>
    private bool TryReserveWithEviction()
    {
        if (Volatile.Read(ref EvictionsOwed) >= Backlog.Capacity)
        {
            return false;
        }

        Backlog.ForceReserve(1);
        Interlocked.Increment(ref EvictionsOwed);
        return true;
    }

    private void CountBusDrop(EventEnvelope envelope)
    {
        Interlocked.Increment(ref _dropped);
        if (Metrics.Dropped.Enabled)
        {
            TagList tags = Metrics.PublishTags(envelope);
            tags.Add("eventbus.drop.site", "bus");
            Metrics.Dropped.Add(1, tags);
        }

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
        PartitionWorker worker = WorkerFor(item.KeyHash);
        if (worker.TryRoute(item))
        {
            return;
        }

        if (!worker.TryWrite(item))
        {
            // The bus completed its workers' channels between the state check and this write: not accepted.
            Backlog.Release(1);
            AdjustOutstanding(-1);
            throw new EventBusStoppedException();
        }
    }
}
