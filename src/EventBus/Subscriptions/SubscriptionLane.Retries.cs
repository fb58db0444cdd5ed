namespace EventBus;

/// <summary>Parking events for a delayed retry, and settling every parked or held event when the lane ends.</summary>
internal sealed partial class SubscriptionLane
{
    /// <summary>Holds the event's key and starts its retry timer. Lane loop only.</summary>
    private void Park(DispatchItem item, TimeSpan delay)
    {
        if (!_held.ContainsKey(item.KeyHash))
        {
            _held[item.KeyHash] = new Queue<DispatchItem>();
        }

        Interlocked.Increment(ref _retryReferences);
        _ = RequeueAfterAsync(item, delay);
    }

    private async Task RequeueAfterAsync(DispatchItem item, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _subscription.Bus.TimeProvider, _retryTimers.Token).ConfigureAwait(false);
            if (!_channel.Writer.TryWrite(item))
            {
                // The lane was closed while the retry waited (removal or stop).
                _subscription.Discard(item);
            }
        }
#pragma warning disable CA1031 // Cancelled (the lane ended) or a timer that could not start: either way the event is accounted, never stranded.
        catch (Exception)
#pragma warning restore CA1031
        {
            _subscription.Discard(item);
        }
        finally
        {
            ReleaseRetryReference();
        }
    }

    /// <summary>Accounts for everything still held or parked when the lane ends, so the subscription's counters are final before it retires.</summary>
    private async Task SettleAsync()
    {
        foreach (Queue<DispatchItem> queue in _held.Values)
        {
            while (queue.TryDequeue(out DispatchItem item))
            {
                _subscription.Discard(item);
            }
        }

        _held.Clear();
        if (Volatile.Read(ref _retryReferences) > 1)
        {
            await _retryTimers.CancelAsync().ConfigureAwait(false);
        }

        ReleaseRetryReference();
        await _retriesSettled.Task.ConfigureAwait(false);
        _retryTimers.Dispose();
        Volatile.Write(ref _busyWith, 0);
    }

    private void ReleaseRetryReference()
    {
        if (Interlocked.Decrement(ref _retryReferences) == 0)
        {
            _retriesSettled.TrySetResult();
        }
    }
}
