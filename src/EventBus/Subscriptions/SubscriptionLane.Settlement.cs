using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventBus;

/// <summary>How a delivery ends on the lane: handled, failed and dead-lettered, expired, faulted; each through <see cref="Settle"/>.</summary>
internal sealed partial class SubscriptionLane
{
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

        if (_subscription.KeepsDeadLetters)
        {
            KeepDeadLetter(item.Envelope, DeadLetterReason.Faulted, exception, attempts);
        }

        Settle(item, DeliveryResult.Failed, exception);
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
            KeepDeadLetter(envelope, reason, exception, attempts);
            state = expired ? DeliveryState.Expired : DeliveryState.DeadLettered;
        }

        settled = true;
        Settle(item, expired ? DeliveryResult.Expired : DeliveryResult.Failed, exception, state, attempts);
    }

    /// <summary>Adds the event to the bus's dead letters for this subscription, and counts it on the lane.</summary>
    private void KeepDeadLetter(EventEnvelope envelope, DeadLetterReason reason, Exception? exception, int attempts)
    {
        ChannelEventBus bus = _subscription.Bus;
        DateTimeOffset now = bus.TimeProvider.GetUtcNow();
        bus.DeadLetterQueue.Add(DeadLetter.For(Guid.CreateVersion7(now), envelope, _subscription, reason, exception, attempts, now));
        Volatile.Write(ref _deadLettered, _deadLettered + 1);
    }

    /// <summary>
    /// The one place the lane records how a delivery ended: the delivery status (when given), the lane's counter, its busy
    /// mark, then the subscription's accounting (<see cref="Subscription.Settle"/>), in that order. The busy mark goes
    /// before the accounting: unless retries are parked, the lane holds nothing pending any more, and whoever the
    /// settlement wakes (an idle wait, a publish-and-wait) may read the health at once and must not see the settled
    /// event's age as the oldest pending one. Holder of the lane only.
    /// </summary>
    private void Settle(in DispatchItem item, DeliveryResult result, Exception? exception = null, DeliveryState? status = null, int attempts = 0)
    {
        if (status is { } state)
        {
            _subscription.Bus.Status?.Update(item.Envelope, _subscription, state, attempts, exception);
        }

        switch (result)
        {
            case DeliveryResult.Handled:
                Volatile.Write(ref _delivered, _delivered + 1);
                break;
            case DeliveryResult.Filtered:
                Volatile.Write(ref _filtered, _filtered + 1);
                break;
            case DeliveryResult.Expired:
                Volatile.Write(ref _expired, _expired + 1);
                break;
            default:
                Volatile.Write(ref _failed, _failed + 1);
                break;
        }

        if (_held.Count == 0)
        {
            Volatile.Write(ref _busyWith, 0);
        }

        Volatile.Write(ref _settled, _settled + 1);
        _subscription.Settle(item, result, exception, countedByLane: true);
        ReportSettled(item);
    }

    /// <summary>
    /// Gives back a place of the bus the subscription holds for the settled delivery (wait mode, over its buffer), then
    /// takes the delivery off the bus's outstanding count. The loop holding the lane for a batch of deliveries that
    /// complete at once does both for the batch together: the place count and the outstanding count are shared with
    /// publishers and other lanes, so each change costs an atomic on a contended cache line. It reports before it waits
    /// for anything (a handler that has not completed, a pause, the next events) and at least every
    /// <see cref="ReportEvery"/> deliveries, so both counts are late only by deliveries already settled in every other
    /// respect, and idle comes when the last of them is reported. Only what the loop's thread settles inside a delivery's
    /// synchronous part waits for the batch: a delivery that completes later, on another thread (which may run while the
    /// loop is reporting), a publish-and-wait delivery, and everything an inline delivery settles are reported at once.
    /// </summary>
    private void ReportSettled(in DispatchItem item)
    {
        if (Volatile.Read(ref _batchThread) == Environment.CurrentManagedThreadId && item.Tracker is null)
        {
            // A plain read: a place held after it belongs to an event that is settled later, which gives it back.
            if (_subscription.HoldsPlaces)
            {
                _placesToRelease++;
            }

            if (++_unreported >= ReportEvery)
            {
                ReportBatch();
            }

            return;
        }

        _subscription.ReleasePlaces(1);
        _subscription.Bus.AdjustOutstanding(-1);
    }

    /// <summary>Reports what the batch has settled so far, places first; the loop calls it before it waits and when the batch ends.</summary>
    private void ReportBatch()
    {
        if (_placesToRelease > 0)
        {
            _subscription.ReleasePlaces(_placesToRelease);
            _placesToRelease = 0;
        }

        if (_unreported > 0)
        {
            int unreported = _unreported;
            _unreported = 0;
            _subscription.Bus.AdjustOutstanding(-unreported);
        }
    }
}
