namespace EventBus;

/// <summary>
/// Counts accepted events that no worker has routed yet, against the bus capacity. A raw bounded channel would
/// do this per channel and drop silently; the bus has one channel per worker, so it keeps one count for all and
/// accounts for every refusal and drop itself.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds no unmanaged resource unless AvailableWaitHandle is used, which this class never does.")]
internal sealed class BacklogGate
{
    private readonly int _capacity;

    // Producers wait here for room; each release by a worker frees one waiter, which re-checks the count.
    private readonly SemaphoreSlim _space = new(0);

    // Incremented by producers (reserve), decremented by workers (release). Only changed with Interlocked.
    private long _count;

    // Producers blocked in ReserveAsync; read by workers to decide whether to signal.
    private int _waiters;
    private volatile bool _closed;

    public BacklogGate(int capacity) => _capacity = capacity;

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
            if (TryReserve(count))
            {
                return true;
            }

            // Register as a waiter before the re-check, so a worker's release either sees us or we see its room.
            Interlocked.Increment(ref _waiters);
            try
            {
                if (TryReserve(count))
                {
                    return true;
                }

                if (_closed)
                {
                    return false;
                }

                await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }

        return false;
    }

    public void Release(int count)
    {
        Interlocked.Add(ref _count, -count);
        if (Volatile.Read(ref _waiters) > 0)
        {
            _space.Release();
        }
    }

    /// <summary>Wakes every waiting producer; they see the gate closed and give up.</summary>
    public void Close()
    {
        _closed = true;
        Interlocked.MemoryBarrier();
        int waiters = Volatile.Read(ref _waiters);
        if (waiters > 0)
        {
            _space.Release(waiters);
        }
    }
}
