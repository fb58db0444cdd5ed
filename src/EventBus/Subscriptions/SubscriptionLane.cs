using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EventBus;

/// <summary>
/// One lane of a subscription: a channel that routing workers write to and a single loop that runs the handler
/// on each event in turn. A lane never blocks a worker, and a stuck handler holds up only its own lane.
/// </summary>
/// <remarks>
/// Retries: a failed attempt with no retry delay is repeated at once. With a delay, the event is parked on a timer
/// and its ordering key is held: later events of that key wait in <see cref="_held"/> while the lane goes on with
/// other keys. When the retry comes back through the channel and ends, the held events follow, in order.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The lane loop disposes its retry timer source when it ends (SettleAsync).")]
internal sealed partial class SubscriptionLane
{
    [ThreadStatic]
    private static InlineStart? t_inlineStart;

    private readonly Subscription _subscription;

    // Many routing workers (and retry timers) write; only this lane's loop reads.
    private readonly Channel<DispatchItem> _channel = Channel.CreateUnbounded<DispatchItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    // Ordering keys held back while one of their events waits for a retry, with the events queued behind it. Lane loop only.
    private readonly Dictionary<int, Queue<DispatchItem>> _held = [];

    // Cancels retry timers when the lane ends; their events are then accounted as unhandled.
    private readonly CancellationTokenSource _retryTimers = new();
    private readonly TaskCompletionSource _retriesSettled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One reference for the lane loop plus one per retry timer; the last to let go settles _retriesSettled.
    private int _retryReferences = 1;

    // Written only by whoever holds the lane (see _owner): the loop, or a publisher delivering inline. Read by counter snapshots.
    private long _delivered;
    private long _failed;
    private long _filtered;
    private long _expired;
    private long _retried;
    private long _deadLettered;

    // The timestamp (UTC ticks) of the event being handled, or 0 when idle; read by lag snapshots.
    private long _busyWith;

    // 1 while the holder of the lane is delivering an event, else 0; read by routing to tell waiting events from the
    // one in hand (BufferCapacity counts only those waiting). Written by the holder of the lane only.
    private int _inHand;

    // Who runs the handler now: nobody, the lane loop, a publisher delivering inline, or nobody ever again (the loop
    // ended). Taken with Interlocked, so the handler never runs twice at once and the state above has one writer at a time.
    private const int Free = 0;
    private const int Loop = 1;
    private const int Inline = 2;
    private const int Closed = 3;
    private int _owner;

    // Taken by the loop when it finds the lane held by an inline delivery; set when that delivery gives it back.
    private readonly AsyncSignal _released = new();

    // The execution context inline deliveries run in: empty but for Subscription.CurrentLane, as the loop's is. Made on
    // first use from the bus's empty context.
    private ExecutionContext? _context;

    public SubscriptionLane(Subscription subscription) => _subscription = subscription;

    public Subscription Subscription => _subscription;

    public long Delivered => Volatile.Read(ref _delivered);

    public long Failed => Volatile.Read(ref _failed);

    public long Filtered => Volatile.Read(ref _filtered);

    public long Expired => Volatile.Read(ref _expired);

    public long Retried => Volatile.Read(ref _retried);

    public long DeadLettered => Volatile.Read(ref _deadLettered);

    /// <summary>Gets the timestamp of the event in hand (being handled, or parked for a retry), or null when idle.</summary>
    public DateTimeOffset? BusySince => Volatile.Read(ref _busyWith) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public DurationHistogram Durations { get; } = new();

    /// <summary>Gets 1 while an event is being delivered on this lane, else 0.</summary>
    public int InHand => Volatile.Read(ref _inHand);

    public bool TryWrite(in DispatchItem item) => _channel.Writer.TryWrite(item);

    /// <summary>
    /// Takes the lane for one delivery on the caller's thread (publish-and-wait on an idle bus), if nobody holds it and
    /// it is open; the caller must then call <see cref="DeliverInlineAsync"/>, which gives it back.
    /// </summary>
    public bool TryClaimInline() =>
        Volatile.Read(ref _owner) == Free && (Volatile.Read(ref _context) ?? MakeContext()) is not null && Interlocked.CompareExchange(ref _owner, Inline, Free) == Free;

    /// <summary>
    /// Runs the synchronous part of one delivery on the caller's thread while holding the lane, in the lane loop's
    /// execution context and with no synchronization context, so the handler sees what it sees on the lane. The
    /// subscription's retry policy never delays (see <see cref="RetryPolicy.NeverDelays"/>), so nothing is parked and
    /// the held keys stay untouched. The returned task completes when the delivery has and the lane is given back.
    /// </summary>
    public ValueTask StartInline(in DispatchItem item)
    {
        InlineStart start = t_inlineStart ??= new InlineStart();
        start.Lane = this;
        start.Item = item;
        ExecutionContext.Run(_context!, InlineStart.Callback, start);
        ValueTask result = start.Result;
        start.Result = default;
        return result;
    }

    /// <summary>Makes the lane's context: the bus's empty one with Subscription.CurrentLane set, as the loop's own is.</summary>
    private ExecutionContext? MakeContext()
    {
        if (_subscription.Bus.EmptyContext is not { } empty)
        {
            return null;
        }

        ExecutionContext.Run(empty, static state =>
        {
            SubscriptionLane lane = (SubscriptionLane)state!;
            Subscription.CurrentLane = lane;
            Interlocked.CompareExchange(ref lane._context, ExecutionContext.Capture(), null);
        }, this);
        return Volatile.Read(ref _context);
    }

    private async ValueTask DeliverInlineAsync(DispatchItem item)
    {
        try
        {
            await DeliverAsync(item).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busyWith, 0);
            ReleaseInline();
        }
    }

    /// <summary>Gives back a lane taken by <see cref="TryClaimInline"/>, waking the loop if it waits for it.</summary>
    public void ReleaseInline()
    {
        // The exchange is a full fence, so a loop that took the signal before trying the lane is seen here.
        Interlocked.Exchange(ref _owner, Free);
        _released.Set();
    }

    public void Complete() => _channel.Writer.TryComplete();

    public async Task RunAsync()
    {
        Subscription.CurrentLane = this;
        ChannelReader<DispatchItem> reader = _channel.Reader;
        ChannelEventBus bus = _subscription.Bus;
        bool holding = false;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Held for the whole batch, so taking it costs once per wake-up, not once per event; an inline delivery
                // can only take the lane between batches, which is when the bus is idle anyway.
                await ClaimAsync().ConfigureAwait(false);
                holding = true;
                while (true)
                {
                    if (_subscription.State == SubscriptionState.Paused && !bus.IsStopping)
                    {
                        await _subscription.ResumedTask.ConfigureAwait(false);
                        continue;
                    }

                    if (!reader.TryRead(out DispatchItem item))
                    {
                        break;
                    }

                    await ProcessAsync(item).ConfigureAwait(false);
                }

                // Drained: idle unless a retry is parked.
                if (_held.Count == 0)
                {
                    Volatile.Write(ref _busyWith, 0);
                }

                holding = false;
                Volatile.Write(ref _owner, Free);
            }
        }
        finally
        {
            // A publisher may still be delivering inline: wait for it, then close the lane to inline deliveries.
            if (!holding)
            {
                await ClaimAsync().ConfigureAwait(false);
            }

            Volatile.Write(ref _owner, Closed);
            await SettleAsync().ConfigureAwait(false);
            _subscription.LaneExited();
        }
    }

    private async ValueTask ProcessAsync(DispatchItem item)
    {
        if (item.Attempts > 0)
        {
            // A parked retry came back: run it, then release what its key held back (unless it parked again).
            if (!await DeliverAsync(item).ConfigureAwait(false))
            {
                await ReleaseHeldAsync(item.KeyHash).ConfigureAwait(false);
            }

            return;
        }

        if (_held.TryGetValue(item.KeyHash, out Queue<DispatchItem>? queue))
        {
            queue.Enqueue(item);
            return;
        }

        await DeliverAsync(item).ConfigureAwait(false);
    }

    private async ValueTask ReleaseHeldAsync(int keyHash)
    {
        if (!_held.TryGetValue(keyHash, out Queue<DispatchItem>? queue))
        {
            return;
        }

        while (queue.TryDequeue(out DispatchItem next))
        {
            if (await DeliverAsync(next).ConfigureAwait(false))
            {
                return; // Parked again: the key stays held with the rest of its queue.
            }
        }

        _held.Remove(keyHash);
    }

    /// <summary>Takes the lane for the loop; waits when a publisher is delivering inline (rare: only on an idle bus).</summary>
    private ValueTask ClaimAsync() => Interlocked.CompareExchange(ref _owner, Loop, Free) == Free ? ValueTask.CompletedTask : WaitForInlineAsync();

    private async ValueTask WaitForInlineAsync()
    {
        while (true)
        {
            Task released = _released.Next;

            // Re-check after taking the signal: either this sees the lane free or the inline delivery sees the signal.
            if (Interlocked.CompareExchange(ref _owner, Loop, Free) == Free)
            {
                return;
            }

            await released.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Delivers one event, retrying as the policy says; returns true when the event was parked for a delayed retry.
    /// The handler's own exceptions are caught by <see cref="AttemptAsync"/>; anything else that throws here (the bus,
    /// or a metrics or tracing listener) is a lane fault: the event is dead-lettered and the lane goes on. Each outcome
    /// is settled after the code that may throw, so an outcome is recorded once: by its own path, or by the fault path.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DeliverAsync(DispatchItem item)
    {
        ChannelEventBus bus = _subscription.Bus;

        // Events still buffered when the subscription is removed, the drain deadline passes, or the bus stops while
        // the subscription is paused, are accounted for and never handled.
        if (_subscription.IsRemoved || bus.IsAbandoned || (bus.IsStopping && _subscription.State == SubscriptionState.Paused))
        {
            _subscription.Discard(item);
            return false;
        }

        EventEnvelope envelope = item.Envelope;
        Volatile.Write(ref _busyWith, envelope.Timestamp.UtcTicks);
        Volatile.Write(ref _inHand, 1);
        int attempt = item.Attempts;
        bool settled = false;
        try
        {
            if (item.Attempts == 0 && _subscription.AsyncPredicates is { } predicates && !await PassesAsync(predicates, envelope, bus).ConfigureAwait(false))
            {
                Volatile.Write(ref _filtered, _filtered + 1);
                settled = true;
                Settling();
                _subscription.Filtered(item);
                return false;
            }

            RetryPolicy policy = _subscription.Retry;
            while (true)
            {
                // Most events never expire; only those that can pay for reading the clock.
                if (envelope.ExpiresAt is not null && envelope.IsExpired(bus.TimeProvider.GetUtcNow()))
                {
                    GiveUp(item, DeadLetterReason.Expired, exception: null, attempt, ref settled);
                    return false;
                }

                attempt++;
                bus.Status?.Update(envelope, _subscription, DeliveryState.Processing, attempt);
                Exception? failure = await AttemptAsync(envelope, attempt, bus).ConfigureAwait(false);
                if (failure is null)
                {
                    Volatile.Write(ref _delivered, _delivered + 1);
                    bus.Status?.Update(envelope, _subscription, DeliveryState.Completed, attempt);
                    settled = true;
                    Settling();
                    _subscription.Completed(item, null);
                    return false;
                }

                if (!policy.ShouldRetryAfter(failure, attempt) || bus.IsAbandoned)
                {
                    Log.HandlerFailed(bus.Logger, failure, _subscription.Id, _subscription.SubscriberId, envelope.Id, envelope.Type, attempt);
                    GiveUp(item, failure is HandlerTimeoutException ? DeadLetterReason.TimedOut : DeadLetterReason.Failed, failure, attempt, ref settled);
                    return false;
                }

                Volatile.Write(ref _retried, _retried + 1);
                TimeSpan delay = policy.GetDelay(attempt);
                Log.HandlerRetrying(bus.Logger, failure, _subscription.Id, _subscription.SubscriberId, envelope.Id, envelope.Type, attempt, delay);
                bus.Status?.Update(envelope, _subscription, DeliveryState.Retrying, attempt, failure);
                if (bus.Metrics.Retried.Enabled)
                {
                    bus.Metrics.Retried.Add(1, bus.Metrics.DeliveryTags(envelope, _subscription.ConsumerGroup));
                }

                if (delay > TimeSpan.Zero)
                {
                    settled = true;
                    Park(item with { Attempts = attempt }, delay);
                    return true;
                }
            }
        }
#pragma warning disable CA1031 // Not the handler's exception: the lane must survive it, and the event must not be stranded.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Fault(item, exception, Math.Max(attempt, 1), settled);
            return false;
        }
        finally
        {
            Volatile.Write(ref _inHand, 0);
        }
    }

    /// <summary>
    /// Something other than the handler threw while this lane delivered an event. It is counted and logged; unless its
    /// outcome was already settled, the event is dead-lettered as <see cref="DeadLetterReason.Faulted"/> and settled as
    /// failed, so nothing waits for it forever. Nothing here runs user code but the log, which may not stop the settling.
    /// </summary>
    private void Fault(in DispatchItem item, Exception exception, int attempts, bool settled)
    {
        ChannelEventBus bus = _subscription.Bus;
        bus.CountLaneFault();
        try
        {
            Log.LaneFault(bus.Logger, exception, _subscription.Id, _subscription.SubscriberId, item.Envelope.Id, item.Envelope.Type);
        }
#pragma warning disable CA1031 // A failing logger must not strand the event.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        if (settled)
        {
            return;
        }

        Volatile.Write(ref _failed, _failed + 1);
        if (_subscription.KeepsDeadLetters)
        {
            bus.DeadLetterQueue.Add(DeadLetter.For(
                Guid.CreateVersion7(bus.TimeProvider.GetUtcNow()), item.Envelope, _subscription, DeadLetterReason.Faulted, exception, attempts, bus.TimeProvider.GetUtcNow()));
            Volatile.Write(ref _deadLettered, _deadLettered + 1);
        }

        Settling();
        _subscription.Completed(item, exception);
    }

    /// <summary>Runs the handler once, under the subscription's timeout; returns the failure, or null on success.</summary>
    private async ValueTask<Exception?> AttemptAsync(EventEnvelope envelope, int attempt, ChannelEventBus bus)
    {
        TimeProvider time = bus.TimeProvider;
        long started = time.GetTimestamp();
        Activity? activity = BusTracing.StartProcess(envelope, _subscription.SubscriberId, attempt);
        Exception? failure = null;
        TimeSpan? timeout = _subscription.HandlerTimeout;
        CancellationTokenSource? timer = timeout is { } limit ? new CancellationTokenSource(limit, time) : null;
        CancellationTokenSource? linked = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(timer.Token, bus.HandlerCancellationToken);
        try
        {
            await _subscription.Handler(envelope, linked?.Token ?? bus.HandlerCancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's exception is isolated: logged, counted, retried or dead-lettered, never rethrown into the bus.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }
        finally
        {
            linked?.Dispose();
        }

        if (timer is not null)
        {
            failure = ClassifyTimeout(timer, failure, envelope, attempt, bus);
        }

        TimeSpan elapsed = time.GetElapsedTime(started);
        Durations.Record(elapsed);
        RecordTelemetry(bus, activity, envelope, elapsed, failure);
        return failure;
    }

    /// <summary>
    /// A handler that throws once its time is up (as one honouring its token does) fails the attempt as timed out. One
    /// that ignores its token and completes has done its work: repeating it would duplicate it, so it counts as handled,
    /// with a warning. The timer fires on its own thread, so it is read once: reading it twice let a timer that fired
    /// between the reads turn a completed handler into a failed one, which was then retried. Kept out of the async
    /// method, whose hot path it would otherwise lengthen.
    /// </summary>
    private Exception? ClassifyTimeout(CancellationTokenSource timer, Exception? failure, EventEnvelope envelope, int attempt, ChannelEventBus bus)
    {
        bool timedOut = timer.IsCancellationRequested;
        TimeSpan timeout = _subscription.HandlerTimeout!.Value;
        timer.Dispose();
        if (!timedOut)
        {
            return failure;
        }

        if (failure is null)
        {
            Log.HandlerOverran(bus.Logger, _subscription.Id, _subscription.SubscriberId, envelope.Id, envelope.Type, timeout);
            return null;
        }

        return new HandlerTimeoutException(
            $"The handler of subscription {_subscription.SubscriberId} ran past its timeout of {timeout} on event '{envelope.Type}' ({envelope.Id}), attempt {attempt}; its token was cancelled. Raise SubscriptionOptions.HandlerTimeout, or make the handler faster.",
            failure);
    }

    private void RecordTelemetry(ChannelEventBus bus, Activity? activity, EventEnvelope envelope, TimeSpan elapsed, Exception? failure)
    {
        BusMetrics metrics = bus.Metrics;
        if (metrics.ProcessDuration.Enabled || metrics.Consumed.Enabled)
        {
            TagList tags = metrics.ProcessTags(envelope, _subscription.ConsumerGroup, failure);
            metrics.ProcessDuration.Record(elapsed.TotalSeconds, tags);
            metrics.Consumed.Add(1, tags);
        }

        if (failure is not null)
        {
            BusTracing.Fail(activity, failure);
        }

        activity?.Dispose();
    }

    /// <summary>Ends an event this subscription could not handle: dead-letter it (unless disabled), count it, and account for it.</summary>
    private void GiveUp(in DispatchItem item, DeadLetterReason reason, Exception? exception, int attempts, ref bool settled)
    {
        ChannelEventBus bus = _subscription.Bus;
        EventEnvelope envelope = item.Envelope;
        bool expired = reason == DeadLetterReason.Expired;
        DeliveryState state = expired ? DeliveryState.Expired : DeliveryState.Failed;
        if (expired)
        {
            Log.EventExpired(bus.Logger, envelope.Id, envelope.Type, _subscription.SubscriberId, envelope.ExpiresAt!.Value);
        }

        // Listeners' code runs first, before anything is recorded: if it throws, the lane's fault handling records the
        // event once, as faulted. Metrics come before the settlement, so whoever waits for the bus to be idle sees them.
        BusMetrics metrics = bus.Metrics;
        Counter<long> outcome = expired ? metrics.Expired : metrics.Failed;
        if (outcome.Enabled || metrics.DeadLettered.Enabled)
        {
            TagList tags = metrics.DeliveryTags(envelope, _subscription.ConsumerGroup);
            outcome.Add(1, tags);
            if (_subscription.KeepsDeadLetters)
            {
                tags.Add("eventbus.dead_letter.reason", reason.ToString());
                metrics.DeadLettered.Add(1, tags);
            }
        }

        if (_subscription.KeepsDeadLetters)
        {
            bus.DeadLetterQueue.Add(DeadLetter.For(
                Guid.CreateVersion7(bus.TimeProvider.GetUtcNow()), envelope, _subscription, reason, exception, attempts, bus.TimeProvider.GetUtcNow()));
            Volatile.Write(ref _deadLettered, _deadLettered + 1);
            state = expired ? DeliveryState.Expired : DeliveryState.DeadLettered;
        }

        bus.Status?.Update(envelope, _subscription, state, attempts, exception);
        settled = true;
        Settling();
        if (expired)
        {
            Volatile.Write(ref _expired, _expired + 1);
            _subscription.ExpiredItem(item);
        }
        else
        {
            Volatile.Write(ref _failed, _failed + 1);
            _subscription.Completed(item, exception);
        }
    }

    /// <summary>
    /// The event in hand is about to be settled: unless retries are parked, the lane holds nothing pending any more, so
    /// its busy mark goes first. Whoever the settlement wakes (an idle wait, a publish-and-wait) may read the health at
    /// once, and must not see the settled event's age as the oldest pending one.
    /// </summary>
    private void Settling()
    {
        if (_held.Count == 0)
        {
            Volatile.Write(ref _busyWith, 0);
        }
    }

    /// <summary>Awaits the subscription's asynchronous predicates in order; one that throws is logged and counts as "no".</summary>
    private async ValueTask<bool> PassesAsync(AsyncPredicateFilter[] predicates, EventEnvelope envelope, ChannelEventBus bus)
    {
        foreach (AsyncPredicateFilter predicate in predicates)
        {
            try
            {
                if (!await predicate.Predicate(envelope, bus.HandlerCancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }
#pragma warning disable CA1031 // A user predicate must never take down a lane; it is logged and treated as no match.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.FilterFailed(bus.Logger, exception, _subscription.Id, _subscription.SubscriberId, envelope.Id, envelope.Type);
                return false;
            }
        }

        return true;
    }
}
