using System.Diagnostics;

namespace EventBus;

/// <summary>
/// Counts accepted events that no worker has routed yet, against the bus capacity. A raw bounded channel would
/// do this per channel and drop silently; the bus has one channel per worker, so it keeps one count for all and
/// accounts for every refusal and drop itself.
/// </summary>
/// <remarks>
/// Waiting publishers are woken only once the count has fallen to three quarters of the capacity, so a saturated
/// bus makes one wait (one allocation) per quarter of its capacity rather than one per event.
/// </remarks>
internal sealed class BacklogGate
{
    private readonly int _capacity;
    private readonly long _resumeAt;

    // Incremented by producers (reserve), decremented by workers (release). Only changed with Interlocked.
    private long _count;

    // Taken by producers that have to wait; set by the release that makes room, and by the close.
    private readonly AsyncSignal _room = new();
    private volatile bool _closed;

    public BacklogGate(int capacity)
    {
        _capacity = capacity;
        _resumeAt = capacity - Math.Max(1, capacity / 4);
    }

    public long Count => Volatile.Read(ref _count);

    public int Capacity => _capacity;

    /// <summary>Reserves room for <paramref name="count"/> events without waiting; all or nothing.</summary>
    public bool TryReserve(int count)
    {
        long current = Volatile.Read(ref _count);
        while (current + count <= _capacity)
        {
            long seen = Interlocked.CompareExchange(ref _count, current + count, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Reserves room beyond the capacity (drop-oldest mode pays it back by evicting).</summary>
    public void ForceReserve(int count) => Interlocked.Add(ref _count, count);

    /// <summary>Waits for room for <paramref name="count"/> events (at most the capacity). Returns false when the gate closes.</summary>
    public async ValueTask<bool> ReserveAsync(int count, CancellationToken cancellationToken)
    {
        while (!_closed)
        {
            Task room = _room.Next;

            // Check after taking the signal, so a release either sees the signal or this check sees its room.
            if (TryReserve(count))
            {
                return true;
            }

            if (_closed)
            {
                return false;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    public void Release(int count)
    {
        long remaining = Interlocked.Add(ref _count, -count);
        Debug.Assert(remaining >= 0, "More places released than reserved.");
        if (remaining <= _resumeAt)
        {
            _room.Set();
        }
    }

    /// <summary>Wakes every waiting producer; they see the gate closed and give up.</summary>
    public void Close()
    {
        _closed = true;
        Interlocked.MemoryBarrier();
        _room.Set();
    }
}
