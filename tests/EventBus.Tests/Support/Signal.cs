namespace EventBus.Tests.Support;

/// <summary>Completes when it has been hit <c>target</c> times. Tests await it instead of sleeping.</summary>
internal sealed class Signal(int target)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task Task => _done.Task;

    public void Hit()
    {
        if (Interlocked.Increment(ref _count) >= target)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Awaits the signal; the generous limit only stops a broken test from hanging the run.</summary>
    public Task WaitAsync() => _done.Task.WaitAsync(TestLimits.Hang);
}
