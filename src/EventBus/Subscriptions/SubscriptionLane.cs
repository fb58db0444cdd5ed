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

    // Every outcome this lane settled itself (the subscription derives its pending count from it).
    private long _settled;

    // The loop's batch (see ReportSettled): the thread running a delivery's synchronous part for the loop, or 0; the
    // deliveries settled there and not yet taken off the bus's outstanding count; and the places of the bus they have yet
    // to give back. A delivery that completes later, on another thread, reports at once, so only the loop's own thread
    // ever touches the two counts.
    private const int ReportEvery = 64;
    private int _batchThread;
    private int _unreported;
    private int _placesToRelease;

    // The timestamp (UTC ticks) of the event being handled, or 0 when idle; read by lag snapshots.
    private long _busyWith;

    // 1 while the holder of the lane is delivering an event, else 0; read by routing to tell waiting events from the
    // one in hand (BufferCapacity counts only those waiting). Written by the holder of the lane only.
    private int _inHand;

    // Who runs the handler now: the loop, a publisher delivering inline, or nobody.
    private readonly LoopOwnership _owner = new();

    public SubscriptionLane(Subscription subscription) => _subscription = subscription;

    public Subscription Subscription => _subscription;

    public long Delivered => Volatile.Read(ref _delivered);

    public long Failed => Volatile.Read(ref _failed);

    public long Filtered => Volatile.Read(ref _filtered);

    public long Expired => Volatile.Read(ref _expired);

    public long Retried => Volatile.Read(ref _retried);

    public long DeadLettered => Volatile.Read(ref _deadLettered);

    /// <summary>Gets the events this lane settled itself (handled, failed, filtered or expired); discards are counted by the subscription.</summary>
    public long Settled => Volatile.Read(ref _settled);

    /// <summary>Gets the timestamp of the event in hand (being handled, or parked for a retry), or null when idle.</summary>
    public DateTimeOffset? BusySince => Volatile.Read(ref _busyWith) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public DurationHistogram Durations { get; } = new();

    /// <summary>Gets 1 while an event is being delivered on this lane, else 0.</summary>
    public int InHand => Volatile.Read(ref _inHand);

    public bool TryWrite(in DispatchItem item) => _channel.Writer.TryWrite(item);

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
                await _owner.ClaimForLoopAsync().ConfigureAwait(false);
                holding = true;
                while (true)
                {
                    if (_subscription.State == SubscriptionState.Paused && !bus.IsStopping)
                    {
                        ReportBatch();
                        await _subscription.ResumedTask.ConfigureAwait(false);
                        continue;
                    }

                    if (!reader.TryRead(out DispatchItem item))
                    {
                        break;
                    }

                    Volatile.Write(ref _batchThread, Environment.CurrentManagedThreadId);
                    ValueTask processing = ProcessAsync(item);
                    Volatile.Write(ref _batchThread, 0);
                    if (!processing.IsCompletedSuccessfully)
                    {
                        ReportBatch();
                    }

                    await processing.ConfigureAwait(false);
                }

                // Drained: idle unless a retry is parked.
                if (_held.Count == 0)
                {
                    Volatile.Write(ref _busyWith, 0);
                }

                ReportBatch();
                holding = false;
                _owner.ReleaseLoop();
            }
        }
        finally
        {
            Volatile.Write(ref _batchThread, 0);
            ReportBatch();

            // A publisher may still be delivering inline: wait for it, then close the lane to inline deliveries.
            if (!holding)
            {
                await _owner.ClaimForLoopAsync().ConfigureAwait(false);
            }

            _owner.Close();
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

    /// <summary>
    /// Delivers one event, retrying as the policy says; returns true when the event was parked for a delayed retry.
    /// The handler's own exceptions are caught by <see cref="HandlerInvocation.AttemptAsync"/>; anything else that throws here (the bus,
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
            if (item.Attempts == 0 && _subscription.AsyncPredicates is { } predicates && !await HandlerInvocation.PassesAsync(_subscription, predicates, envelope).ConfigureAwait(false))
            {
                settled = true;
                Settle(item, DeliveryResult.Filtered);
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
                Exception? failure = await HandlerInvocation.AttemptAsync(_subscription, envelope, attempt, Durations).ConfigureAwait(false);
                if (failure is null)
                {
                    settled = true;
                    Settle(item, DeliveryResult.Handled, status: DeliveryState.Completed, attempts: attempt);
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
}
