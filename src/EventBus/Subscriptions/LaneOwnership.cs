namespace EventBus;

/// <summary>
/// Who runs a lane's handler now: nobody, the lane loop, a publisher delivering inline (publish-and-wait on an idle
/// bus), or nobody ever again (the loop ended). Taken with interlocked operations, so the handler never runs twice at
/// once and the lane's state has one writer at a time. The loop holds the lane for a whole batch of events, so taking it
/// costs once per wake-up; an inline delivery takes it only when it is free, and the loop waits for it to give it back.
/// </summary>
internal sealed class LaneOwnership
{
    private const int Free = 0;
    private const int Loop = 1;
    private const int Inline = 2;
    private const int Closed = 3;

    // Taken by the loop when it finds the lane held by an inline delivery; set when that delivery gives it back.
    private readonly AsyncSignal _released = new();
    private int _owner;

    /// <summary>Gets whether nobody holds the lane (a cheap read before trying to take it).</summary>
    public bool IsFree => Volatile.Read(ref _owner) == Free;

    /// <summary>Takes the lane for one inline delivery if nobody holds it and it is open.</summary>
    public bool TryClaimInline() => Interlocked.CompareExchange(ref _owner, Inline, Free) == Free;

    /// <summary>Gives back a lane taken by <see cref="TryClaimInline"/>, waking the loop if it waits for it.</summary>
    public void ReleaseInline()
    {
        // The exchange is a full fence, so a loop that took the signal before trying the lane is seen here.
        Interlocked.Exchange(ref _owner, Free);
        _released.Set();
    }

    /// <summary>Takes the lane for the loop; waits when a publisher is delivering inline (rare: only on an idle bus).</summary>
    public ValueTask ClaimForLoopAsync() => Interlocked.CompareExchange(ref _owner, Loop, Free) == Free ? ValueTask.CompletedTask : WaitForInlineAsync();

    /// <summary>The loop has drained its batch: an inline delivery may take the lane.</summary>
    public void ReleaseLoop() => Volatile.Write(ref _owner, Free);

    /// <summary>The loop ended while holding the lane: nobody may take it again.</summary>
    public void Close() => Volatile.Write(ref _owner, Closed);

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
}
