namespace EventBus;

/// <summary>
/// Who does a loop's work now: nobody, the loop itself, a guest that found the loop idle, or nobody ever again (the loop
/// ended). A subscription lane's guest is a publisher delivering inline (publish-and-wait on an idle bus); a partition's
/// guest is a publisher routing its own event. Taken with interlocked operations, so the work is done by one thread at a
/// time and its state has one writer at a time. The loop holds it for a whole batch, so taking it costs once per wake-up;
/// a guest takes it only when it is free, for one piece of work, and the loop waits for the guest to give it back.
/// </summary>
internal sealed class LoopOwnership
{
    private const int Free = 0;
    private const int Loop = 1;
    private const int Guest = 2;
    private const int Closed = 3;

    // Taken by the loop when it finds a guest holding the work; set when the guest gives it back.
    private readonly AsyncSignal _released = new();
    private int _owner;

    /// <param name="heldByLoop">True when the loop holds the work from the start (it gives it back once it runs dry).</param>
    public LoopOwnership(bool heldByLoop = false) => _owner = heldByLoop ? Loop : Free;

    /// <summary>Gets whether nobody holds the work (a cheap read before trying to take it).</summary>
    public bool IsFree => Volatile.Read(ref _owner) == Free;

    /// <summary>Takes the work for a guest if nobody holds it and the loop has not ended.</summary>
    public bool TryClaimForGuest() => IsFree && Interlocked.CompareExchange(ref _owner, Guest, Free) == Free;

    /// <summary>Gives back work taken by <see cref="TryClaimForGuest"/>, waking the loop if it waits for it.</summary>
    public void ReleaseGuest()
    {
        // The exchange is a full fence, so a loop that took the signal before trying the work is seen here.
        Interlocked.Exchange(ref _owner, Free);
        _released.Set();
    }

    /// <summary>Takes the work for the loop; waits while a guest holds it (one guest's piece of work at most).</summary>
    public ValueTask ClaimForLoopAsync() => Interlocked.CompareExchange(ref _owner, Loop, Free) == Free ? ValueTask.CompletedTask : WaitForGuestAsync();

    /// <summary>The loop has run dry: a guest may take the work.</summary>
    public void ReleaseLoop() => Volatile.Write(ref _owner, Free);

    /// <summary>The loop ended while holding the work: nobody may take it again.</summary>
    public void Close() => Volatile.Write(ref _owner, Closed);

    private async ValueTask WaitForGuestAsync()
    {
        while (true)
        {
            Task released = _released.Next;

            // Re-check after taking the signal: either this sees the work free or the guest sees the signal.
            if (Interlocked.CompareExchange(ref _owner, Loop, Free) == Free)
            {
                return;
            }

            await released.ConfigureAwait(false);
        }
    }
}
