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

    /// <summary>Called by a worker for every event it routes.</summary>
    internal void OnRouted(EventEnvelope envelope)
    {
        if (Metrics.Published.Enabled)
        {
            Metrics.Published.Add(1, Metrics.PublishTags(envelope));
        }

        Status?.OnRouted(envelope);
    }
}
