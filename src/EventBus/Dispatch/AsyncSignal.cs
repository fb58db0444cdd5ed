namespace EventBus;

/// <summary>
/// Wakes whoever waits for a condition that other threads make true: room in the backlog, an idle bus, a lane given
/// back, the last publisher out of the admission gate. A waiter takes <see cref="Next"/> (installing a signal if there is
/// none), checks its condition again, and waits only if it is still false; a thread that made the condition true calls
/// <see cref="Set"/> after its change, which completes the current signal and clears it for the next wait. Checking after
/// taking the signal closes the gap between the two: either the check sees the change, or the change's
/// <see cref="Set"/> sees the signal, provided the change is a full fence (an <see cref="Interlocked"/> operation), as it
/// is at every use. With nobody waiting, <see cref="Set"/> costs one read.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource? _current;

    /// <summary>Gets the task the next <see cref="Set"/> completes; check the condition after taking it, then await it.</summary>
    public Task Next => (Volatile.Read(ref _current) ?? Install()).Task;

    /// <summary>Completes the current signal, if anyone took one, and clears it. Call after the change that waiters wait for.</summary>
    public void Set()
    {
        if (Volatile.Read(ref _current) is not null)
        {
            Interlocked.Exchange(ref _current, null)?.TrySetResult();
        }
    }

    private TaskCompletionSource Install()
    {
        // Asynchronous continuations: the thread that sets the signal goes on with its own work, not the waiters'.
        TaskCompletionSource created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _current, created, null) ?? created;
    }
}
