using System.Threading.Channels;

namespace EventBus;

/// <summary>
/// One dispatch worker. It owns the ordering keys that hash to it: producers write into its channel, it moves
/// what arrived into four priority queues, and routes the most urgent event to the matching subscriptions'
/// lanes. It never runs a handler, so a slow handler can not hold it up.
/// </summary>
/// <remarks>
/// When the partition is idle (nothing in its channel, nothing staged, the loop asleep), a publisher routes its event
/// itself (<see cref="TryRoute"/>), so the event crosses one thread instead of two: there is nothing it could overtake
/// and no backlog to sort by priority. Whoever routes holds the partition (<see cref="LoopOwnership"/>), so its events
/// are routed one at a time and in order, and routing state (the match lists, the routed count) has one writer at a time.
/// </remarks>
internal sealed class PartitionWorker
{
    private static readonly int PriorityLevels = Enum.GetValues<EventPriority>().Length;

    private readonly ChannelEventBus _bus;

    // Many producers write; only this worker's loop reads (SingleReader lets the channel skip locking on reads).
    private readonly Channel<DispatchItem> _channel = Channel.CreateUnbounded<DispatchItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    // Touched only by the worker loop: no lock. Index = (int)EventPriority, so higher index = more urgent.
    private readonly Queue<DispatchItem>[] _staged;

    // Reused for every event so routing allocates nothing; touched only by the worker loop.
    private readonly List<Subscription> _matches = [];
    private readonly List<Subscription> _candidates = [];
    private readonly List<Admission> _admissions = [];
    private int _stagedCount;

    // Who routes now. The loop holds it from its start until it first runs dry, and from each wake-up until it runs dry
    // again; a publisher (the guest) holds it for one event. One router at a time.
    private readonly LoopOwnership _router = new(heldByLoop: true);
    private volatile bool _completed;

    // Written only by the worker loop (no Interlocked on the hot path); read by statistics snapshots.
    private long _routed;
    private long _evicted;

    public PartitionWorker(ChannelEventBus bus)
    {
        _bus = bus;
        _staged = new Queue<DispatchItem>[PriorityLevels];
        for (int i = 0; i < _staged.Length; i++)
        {
            _staged[i] = new Queue<DispatchItem>();
        }
    }

    /// <summary>Gets the number of events this worker has taken off the backlog, routed or evicted.</summary>
    public long Taken => Volatile.Read(ref _routed) + Volatile.Read(ref _evicted);

    /// <summary>Gets how many events of one priority this worker has sorted and not yet routed; read by metrics snapshots.</summary>
    public int StagedCount(EventPriority priority) => _staged[(int)priority].Count;

    public bool TryWrite(in DispatchItem item) => _channel.Writer.TryWrite(item);

    /// <summary>
    /// Routes an accepted event on the publisher's thread if the partition is idle; false, having changed nothing, when
    /// the loop is routing, events wait in the channel (they go first), evictions are owed, or the partition is closed.
    /// </summary>
    public bool TryRoute(in DispatchItem item)
    {
        if (!_router.TryClaimForGuest())
        {
            return false;
        }

        try
        {
            // Checked while holding the partition: an event written before the claim is routed before this one.
            if (_completed || _channel.Reader.TryPeek(out _) || Volatile.Read(ref _bus.EvictionsOwed) != 0)
            {
                return false;
            }

            Route(item);
            return true;
        }
        finally
        {
            _router.ReleaseGuest();
        }
    }

    /// <summary>No more events will be written; the loop drains what it has and ends.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }

    public async Task RunAsync()
    {
        ChannelReader<DispatchItem> reader = _channel.Reader;
        while (true)
        {
            // Take in everything that has arrived so priority applies to the whole backlog.
            while (reader.TryRead(out DispatchItem arrived))
            {
                // No backlog: nothing to put ahead of this event, so route it without staging.
                if (_stagedCount == 0 && !reader.TryPeek(out _) && Volatile.Read(ref _bus.EvictionsOwed) == 0)
                {
                    Route(arrived);
                    continue;
                }

                _staged[(int)arrived.Envelope.Priority].Enqueue(arrived);
                _stagedCount++;
            }

            if (_stagedCount == 0)
            {
                // Ran dry: until more arrives here, publishers may route this partition's events themselves.
                _router.ReleaseLoop();
                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    return;
                }

                await _router.ClaimForLoopAsync().ConfigureAwait(false);
                continue;
            }

            // Drop-oldest mode accepted events beyond capacity; pay that back from the least urgent, oldest events.
            while (_stagedCount > 0 && _bus.TryTakeEviction())
            {
                _bus.OnEvicted(TakeLeastUrgent());
                Volatile.Write(ref _evicted, _evicted + 1);
            }

            if (_stagedCount > 0)
            {
                Route(TakeMostUrgent());
            }
        }
    }

    private DispatchItem TakeMostUrgent()
    {
        for (int i = _staged.Length - 1; i >= 0; i--)
        {
            if (_staged[i].TryDequeue(out DispatchItem item))
            {
                _stagedCount--;
                return item;
            }
        }

        throw new InvalidOperationException("No staged event; the staged count is out of step.");
    }

    private DispatchItem TakeLeastUrgent()
    {
        for (int i = 0; i < _staged.Length; i++)
        {
            if (_staged[i].TryDequeue(out DispatchItem item))
            {
                _stagedCount--;
                return item;
            }
        }

        throw new InvalidOperationException("No staged event; the staged count is out of step.");
    }

    /// <summary>
    /// Routes one event to every matching subscription. It never waits: a full wait-mode subscription takes the event
    /// and has it hold a place of the bus's capacity (see <see cref="Subscription.Admit"/>), so a stuck subscription
    /// holds back publishers, never the routing of other subscriptions.
    /// </summary>
    private void Route(in DispatchItem item)
    {
        Volatile.Write(ref _routed, _routed + 1);
        _bus.OnRouted(item.Envelope);
        _bus.Match(item.Envelope, _matches, _candidates);
        int matched = _matches.Count;
        item.Tracker?.Expect(matched);
        if (matched == 1)
        {
            RouteToOne(item, _matches[0]);
        }
        else
        {
            RouteToMany(item, matched);
        }

        _matches.Clear();
    }

    /// <summary>
    /// The common case. The accepted event's outstanding unit becomes the delivery's, and its place of the capacity goes
    /// back before it is queued (or stays, held for the subscription), so idle always implies every place is free.
    /// </summary>
    private void RouteToOne(in DispatchItem item, Subscription subscription)
    {
        Admission admission = subscription.Admit(item);
        if (admission != Admission.Hold)
        {
            _bus.Backlog.Release(1);
        }

        subscription.Enqueue(item, admission);
    }

    /// <summary>
    /// No match, or several: every decision is made first, so that the event's place (taken over by the first hold, or
    /// given back) and one outstanding unit per match are settled before any copy is queued; a fast lane can then never
    /// take the count to zero early.
    /// </summary>
    private void RouteToMany(in DispatchItem item, int matched)
    {
        bool ownsPlace = true;
        for (int i = 0; i < matched; i++)
        {
            Admission admission = _matches[i].Admit(item);
            if (admission == Admission.Hold)
            {
                if (ownsPlace)
                {
                    ownsPlace = false;
                }
                else
                {
                    _bus.Backlog.ForceReserve(1);
                }
            }

            _admissions.Add(admission);
        }

        if (ownsPlace)
        {
            _bus.Backlog.Release(1);
        }

        _bus.AdjustOutstanding(matched - 1);
        for (int i = 0; i < matched; i++)
        {
            _matches[i].Enqueue(item, _admissions[i]);
        }

        _admissions.Clear();
    }
}
