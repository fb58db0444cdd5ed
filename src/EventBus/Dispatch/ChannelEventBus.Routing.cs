namespace EventBus;

/// <summary>What the partition workers call while routing: the match, the drop-oldest evictions, and the routed count.</summary>
internal sealed partial class ChannelEventBus
{
    /// <summary>Finds the subscriptions an event goes to: those the index matches, or for a replay to one subscription, that one.</summary>
    internal void Match(EventEnvelope envelope, List<Subscription> matches, List<Subscription> candidates)
    {
        CurrentIndex.Route(envelope, matches, candidates);
        if (envelope.ReplayTarget is { } target)
        {
            for (int i = matches.Count - 1; i >= 0; i--)
            {
                if (matches[i].Id != target)
                {
                    matches.RemoveAt(i);
                }
            }
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

    /// <summary>Called for every event routed, by its worker or by its publisher.</summary>
    internal void OnRouted(EventEnvelope envelope)
    {
        if (Metrics.Published.Enabled)
        {
            CountPublished(envelope);
        }

        Status?.OnRouted(envelope);
    }

    /// <summary>
    /// A listener's callback runs inside <c>Add</c>: one that throws must not stop routing (a worker's loop would end and
    /// its events wait forever; a publisher routing its own event would see it half routed). It is logged, and routing goes on.
    /// </summary>
    private void CountPublished(EventEnvelope envelope)
    {
        try
        {
            Metrics.Published.Add(1, Metrics.PublishTags(envelope));
        }
#pragma warning disable CA1031 // Listener code: routing must survive it, as a lane survives a throwing listener.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.PublishedMeasurementFailed(Logger, exception, envelope.Id, envelope.Type);
        }
    }
}
