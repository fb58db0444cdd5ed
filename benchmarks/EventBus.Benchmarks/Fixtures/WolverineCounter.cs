namespace EventBus.Benchmarks;

/// <summary>Counts handled Wolverine messages and signals when a target count is reached.</summary>
public sealed class WolverineCounter
{
    private long _count;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a new count; the returned task completes once <paramref name="target"/> handlings are counted.</summary>
    public Task Expect(long target)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _count, 0);
        Volatile.Write(ref _target, target);
        return _reached.Task;
    }

    public void Hit()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }
}
