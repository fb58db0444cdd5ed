using System.Diagnostics;
namespace EventBus;

/// <summary>
/// A live subscription: a filter, a handler and one or more lanes. Each lane is a channel with one consumer
/// loop, so events of one ordering key are handled one at a time, in order; lanes run in parallel.
/// </summary>
internal sealed partial class Subscription : ISubscription
{
    private readonly ChannelEventBus _bus;
    private readonly Func<EventEnvelope, CancellationToken, ValueTask> _handler;
    private readonly SubscriptionLane[] _lanes;
    private readonly int _bufferCapacity;
    private readonly bool _waitWhenFull;

    // Guards state transitions (pause, resume, remove); the hot path only reads _state.
    private readonly Lock _stateLock = new();

    // Completed when the subscription leaves Paused (resume, removal or bus stop); replaced on each pause.
    private TaskCompletionSource _resumed = CompletedGate();
    private volatile SubscriptionState _state;
    private int _lanesRunning;
    // Set once the counters are folded into the bus's totals; guarded by _stateLock.
    private int _retired;

    // Completed when every lane loop has ended (after removal or bus stop); UnsubscribeAsync waits for it.
    private readonly TaskCompletionSource _lanesExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Counted by routing where events arrive, not summed from the outcomes, so Matched = the sum of the outcomes is a
    // check of the accounting rather than a definition. Interlocked only.
    private long _matched;

    // Events settled other than by their lane: dropped by routing, or discarded. A lane counts what it settles itself,
    // with one writer and no atomic, so pending (matched less settled) costs the hot path nothing. Interlocked only.
    private long _settledElsewhere;

    // A recent count of settled events, a lower bound that routing keeps so that it reads the lanes' counts only when
    // the buffer may be full; written by any router, and any value once true stays a lower bound.
    private long _settledSeen;
    private long _dropped;
    private long _unhandled;

    // Wait mode: events taken while the buffer was full, each holding a place of the bus's capacity until one is
    // settled (see Admit). Incremented by routing, decremented by settling; Interlocked only.
    private long _placesHeld;

    public Subscription(ChannelEventBus bus, EventFilter filter, Func<EventEnvelope, CancellationToken, ValueTask> handler, SubscriptionOptions options, int bufferCapacity, SubscriptionFullMode fullMode)
    {
        _waitWhenFull = fullMode == SubscriptionFullMode.Wait;
        _bus = bus;
        Filter = filter;
        _handler = handler;
        _bufferCapacity = bufferCapacity;
        Id = Guid.CreateVersion7(bus.TimeProvider.GetUtcNow());
        SubscriberId = options.SubscriberId ?? Id.ToString();
        ConsumerGroup = bus.Metrics.ConsumerGroup(options.SubscriberId, filter);
        List<AsyncPredicateFilter> predicates = [];
        filter.CollectAsyncPredicates(predicates);
        AsyncPredicates = predicates.Count == 0 ? null : [.. predicates];
        Retry = (options.Retry ?? bus.DefaultRetry).Clone();
        HandlerTimeout = options.HandlerTimeout ?? bus.DefaultHandlerTimeout;
        KeepsDeadLetters = options.DeadLetter;
        _lanes = new SubscriptionLane[options.Concurrency];
        for (int i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = new SubscriptionLane(this);
        }
    }

    public Guid Id { get; }

    /// <summary>Gets the order of creation within the bus; the router uses it to keep one of each candidate.</summary>
    internal long Sequence { get; init; }

    public string SubscriberId { get; }

    /// <summary>Gets the subscription's metric tag: its subscriber id, or for an anonymous subscription its filter, stable across runs.</summary>
    public string ConsumerGroup { get; }

    public EventFilter Filter { get; }

    public string FilterDescription => Filter.Description;

    public SubscriptionState State => _state;

    public SubscriptionCounters Counters
    {
        get
        {
            long delivered = 0, failed = 0, filtered = 0, expired = 0, retried = 0, deadLettered = 0;
            foreach (SubscriptionLane lane in _lanes)
            {
                delivered += lane.Delivered;
                failed += lane.Failed;
                filtered += lane.Filtered;
                expired += lane.Expired;
                retried += lane.Retried;
                deadLettered += lane.DeadLettered;
            }

            long dropped = Interlocked.Read(ref _dropped);
            long unhandled = Interlocked.Read(ref _unhandled);

            // Settled before matched: every settled event was matched first, so pending is never negative.
            long settled = Settled();
            long matched = Interlocked.Read(ref _matched);
            long pending = matched - settled;
            return new SubscriptionCounters { Matched = matched, Delivered = delivered, Failed = failed, Dropped = dropped, Unhandled = unhandled, Pending = pending, Filtered = filtered, Expired = expired, Retried = retried, DeadLettered = deadLettered };
        }
    }

    internal ChannelEventBus Bus => _bus;

    /// <summary>Gets the places of the bus's capacity this subscription holds (wait mode, beyond its buffer).</summary>
    internal long PlacesHeld => Interlocked.Read(ref _placesHeld);

    /// <summary>Gets the effective retry policy (a private copy, so later changes to the options do not leak in).</summary>
    internal RetryPolicy Retry { get; }

    internal TimeSpan? HandlerTimeout { get; }

    internal bool KeepsDeadLetters { get; }

    /// <summary>Gets a value indicating whether a full buffer holds publishers back instead of dropping (<see cref="SubscriptionFullMode.Wait"/>).</summary>
    internal bool WaitsWhenFull => _waitWhenFull;

    /// <summary>Gets the asynchronous predicates the lanes await before the handler, or null when there are none.</summary>
    internal AsyncPredicateFilter[]? AsyncPredicates { get; }

    internal Func<EventEnvelope, CancellationToken, ValueTask> Handler => _handler;

    internal bool IsRemoved => _state == SubscriptionState.Removed;

    /// <summary>Gets the lane loops, which end once the lanes are completed and have settled what they hold; null before <see cref="Start"/>.</summary>
    internal Task[]? LaneLoops { get; private set; }

    /// <summary>Starts the lane loops, outside the caller's execution context; the bus awaits them when it stops.</summary>
    public void Start()
    {
        _lanesRunning = _lanes.Length;
        Task[] loops = new Task[_lanes.Length];
        using (ExecutionContext.SuppressFlow())
        {
            for (int i = 0; i < _lanes.Length; i++)
            {
                loops[i] = Task.Run(_lanes[i].RunAsync);
            }
        }

        LaneLoops = loops;
    }

    /// <summary>Evaluates the filter; a filter that throws is logged and treated as no match.</summary>
    public bool Accepts(EventEnvelope envelope)
    {
        try
        {
            return Filter.Matches(envelope);
        }
#pragma warning disable CA1031 // A user filter must never take down a dispatch worker.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.FilterFailed(_bus.Logger, exception, Id, SubscriberId, envelope.Id, envelope.Type);
            return false;
        }
    }

    /// <summary>
    /// The first step of routing an event here, by whoever routes it (a worker, or a publisher); never waits. It counts
    /// the arrival and decides: when the buffer holds <see cref="_bufferCapacity"/> events waiting (those being handled
    /// do not count), drop mode drops the event for this subscription only, and wait mode takes it anyway but makes it
    /// hold a place of the bus's capacity until one of this subscription's events is settled: publishers then feel the
    /// pressure through the bus, and routing goes on for every other subscription. The router gives the place (the
    /// event's own, or a new one) before <see cref="Enqueue"/>, so that idle always implies every place is free.
    /// </summary>
    public Admission Admit(in DispatchItem item)
    {
        if (item.Tracker is { CallerLane: { } caller } tracker && ReferenceEquals(caller, LaneFor(item)))
        {
            FailWaitForItself(tracker, item.Envelope);
        }

        long matched = Interlocked.Increment(ref _matched);
        if (matched - Volatile.Read(ref _settledSeen) > _bufferCapacity && IsFull(matched) && !IsRemoved && !_bus.IsAbandoned)
        {
            if (!_waitWhenFull)
            {
                return Admission.Drop;
            }

            Interlocked.Increment(ref _placesHeld);
            return Admission.Hold;
        }

        return Admission.Queue;
    }

    /// <summary>The second step: drops the event, or queues it in its lane, as <see cref="Admit"/> decided.</summary>
    public void Enqueue(in DispatchItem item, Admission admission)
    {
        if (admission == Admission.Drop)
        {
            Drop(item);
            return;
        }

        _bus.Status?.Update(item.Envelope, this, DeliveryState.Queued, item.Attempts);
        if (!LaneFor(item).TryWrite(item))
        {
            // The lanes were closed by removal or bus stop after routing chose this subscription.
            Discard(item);
        }
    }

    private SubscriptionLane LaneFor(in DispatchItem item) => _lanes[item.LaneIndex(_lanes.Length)];

    /// <summary>
    /// Whether the buffer holds its capacity of events waiting: those pending (matched less settled) less those a lane
    /// has in hand. Read only when the recent settled count says the buffer may be full; refreshes that count.
    /// </summary>
    private bool IsFull(long matched)
    {
        long settled = Settled();
        Volatile.Write(ref _settledSeen, settled);
        long waiting = matched - settled;
        foreach (SubscriptionLane lane in _lanes)
        {
            waiting -= lane.InHand;
        }

        return waiting > _bufferCapacity;
    }

    /// <summary>Gets the events settled so far: by the lanes, and elsewhere.</summary>
    private long Settled()
    {
        long settled = Interlocked.Read(ref _settledElsewhere);
        foreach (SubscriptionLane lane in _lanes)
        {
            settled += lane.Settled;
        }

        return settled;
    }

    private void Drop(in DispatchItem item)
    {
        Interlocked.Increment(ref _dropped);
        if (_bus.Metrics.Dropped.Enabled)
        {
            TagList tags = _bus.Metrics.DeliveryTags(item.Envelope, ConsumerGroup);
            tags.Add("eventbus.drop.site", "subscription");
            _bus.Metrics.Dropped.Add(1, tags);
        }

        _bus.Status?.Update(item.Envelope, this, DeliveryState.Dropped, 0);
        Log.SubscriptionBufferFull(_bus.Logger, Id, SubscriberId, _bufferCapacity, item.Envelope.Id, item.Envelope.Type);
        Settle(item, DeliveryResult.Dropped);
    }

    /// <summary>
    /// A handler published and waits for an event that this subscription queues behind that very handler: the wait
    /// could never end. The publisher is told at once; the event stays queued and is handled once the handler returns.
    /// </summary>
    private void FailWaitForItself(PublishTracker tracker, EventEnvelope envelope) => tracker.Fail(new InvalidOperationException(
        $"The handler of subscription {SubscriberId} published event '{envelope.Type}' ({envelope.Id}) with PublishAndWaitAsync, and this subscription queues that event behind the very handler that waits for it, so the wait could never end. " +
        "The event is published and will be handled once the handler returns. From inside a handler, publish with PublishAsync, or give the event another ordering key and the subscription a Concurrency above 1."));

    /// <summary>
    /// Takes the event's lane for a delivery on the caller's thread, when the subscription is active, its retries never
    /// wait, and nobody holds the lane; returns null otherwise. A taken lane must be given to <see cref="BeginInline"/>.
    /// </summary>
    internal SubscriptionLane? TryClaimInline(in DispatchItem item)
    {
        if (_state != SubscriptionState.Active || !Retry.NeverDelays)
        {
            return null;
        }

        SubscriptionLane lane = LaneFor(item);
        return lane.TryClaimInline() ? lane : null;
    }

    /// <summary>Accounts for an inline delivery as <see cref="Enqueue"/> does for a queued one, then runs it.</summary>
    internal ValueTask BeginInline(SubscriptionLane lane, in DispatchItem item)
    {
        Interlocked.Increment(ref _matched);
        _bus.Status?.Update(item.Envelope, this, DeliveryState.Queued, item.Attempts);
        return lane.StartInline(item);
    }

    /// <summary>Delivers a dead letter's event again, with a fresh attempt count; it counts as a new match.</summary>
    internal void Redeliver(EventEnvelope envelope)
    {
        _bus.AdjustOutstanding(1);
        Interlocked.Increment(ref _matched);
        DispatchItem item = new(envelope, _bus.KeyHash(envelope), null);
        _bus.Status?.Update(envelope, this, DeliveryState.Queued, 0);
        if (!LaneFor(item).TryWrite(item))
        {
            Discard(item);
        }
    }

    /// <summary>Gets how old the oldest event in hand is (being handled or parked for a retry), or zero when idle.</summary>
    internal TimeSpan Lag(DateTimeOffset now)
    {
        TimeSpan lag = TimeSpan.Zero;
        foreach (SubscriptionLane lane in _lanes)
        {
            if (lane.BusySince is { } since && now - since > lag)
            {
                lag = now - since;
            }
        }

        return lag;
    }

    /// <summary>Gets the handler durations of every lane, merged.</summary>
    internal long[] DurationTotals()
    {
        long[] totals = DurationHistogram.NewTotals();
        foreach (SubscriptionLane lane in _lanes)
        {
            lane.Durations.AddTo(totals);
        }

        return totals;
    }

    /// <summary>
    /// The one place an event's outcome for this subscription is accounted: the settled count (and, for an event never
    /// handled, the unhandled count), the publish-and-wait tracker, a place of the bus held in wait mode, and last the
    /// bus's outstanding count, so that whoever its idle signal wakes sees everything else settled. When the lane that
    /// settled the event says so (<paramref name="countedByLane"/>), it has counted the event as settled itself, and it
    /// gives back the place and reports the outstanding count itself, after this (see SubscriptionLane.ReportSettled).
    /// Never-handled events are rare (removal, a stop past its deadline, a closed lane), so they take the state lock: one
    /// that comes after retirement is added to the bus's totals directly.
    /// </summary>
    internal void Settle(in DispatchItem item, DeliveryResult result, Exception? exception = null, bool countedByLane = false)
    {
        Debug.Assert(!countedByLane || result != DeliveryResult.Unhandled, "A lane never settles an event as unhandled itself; it discards it.");
        if (result == DeliveryResult.Unhandled)
        {
            bool late;
            lock (_stateLock)
            {
                Interlocked.Increment(ref _unhandled);
                Interlocked.Increment(ref _settledElsewhere);
                late = _retired == 1;
            }

            if (late)
            {
                _bus.RetireLateDiscard();
            }
        }
        else if (!countedByLane)
        {
            Interlocked.Increment(ref _settledElsewhere);
        }

        item.Tracker?.Record(new DeliveryOutcome { SubscriptionId = Id, SubscriberId = SubscriberId, Result = result, Exception = exception });
        if (!countedByLane)
        {
            ReleasePlaces(1);
            _bus.AdjustOutstanding(-1);
        }
    }

    /// <summary>Accounts for an event that this subscription will never handle (see <see cref="Settle"/>).</summary>
    internal void Discard(in DispatchItem item) => Settle(item, DeliveryResult.Unhandled);

    /// <summary>Gets whether this subscription holds places of the bus now (a plain read: a lane's hint for its batch).</summary>
    internal bool HoldsPlaces => Volatile.Read(ref _placesHeld) > 0;

    /// <summary>
    /// Events were settled: for each, if this subscription holds places of the bus (wait mode, over its buffer), one
    /// goes back to publishers. Called before the outstanding count drops, so that idle implies the places are free.
    /// </summary>
    internal void ReleasePlaces(long settled)
    {
        long held = Volatile.Read(ref _placesHeld);
        while (held > 0)
        {
            long released = Math.Min(held, settled);
            long seen = Interlocked.CompareExchange(ref _placesHeld, held - released, held);
            if (seen == held)
            {
                _bus.Backlog.Release((int)released);
                return;
            }

            held = seen;
        }
    }

    internal void LaneExited()
    {
        if (Interlocked.Decrement(ref _lanesRunning) == 0)
        {
            // Retire first, so that when UnsubscribeAsync returns the bus's totals already include this subscription.
            RetireIfDone();
            _lanesExited.TrySetResult();
        }
    }

    /// <summary>
    /// Folds the counters into the bus's totals once the subscription is both removed and finished. Lanes also end
    /// when the bus stops, while the subscription is still listed, so ending alone must not retire it.
    /// </summary>
    internal void RetireIfDone()
    {
        SubscriptionCounters counters;
        lock (_stateLock)
        {
            if (!IsRemoved || Volatile.Read(ref _lanesRunning) != 0 || _retired == 1)
            {
                return;
            }

            // Under the lock that late discards take too, so each event is in this snapshot or passed on, never both.
            _retired = 1;
            counters = Counters;
        }

        // What is still pending is not settled yet: a routing worker that read the index before the removal may still
        // hand this subscription an event. It is discarded then, and Discard passes it on.
        // The retired total counts what is settled: the outcomes, not the arrivals still on their way to an outcome.
        _bus.Retire(counters with
        {
            Matched = counters.Delivered + counters.Failed + counters.Dropped + counters.Unhandled + counters.Filtered + counters.Expired,
            Pending = 0,
        });
    }

    private static TaskCompletionSource CompletedGate()
    {
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
