using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Support;

/// <summary>
/// A fake clock that tells when the bus arms a timer (a retry delay, a handler timeout), so a test can advance time
/// exactly after the timer exists instead of racing it.
/// </summary>
internal sealed class WatchedTime : TimeProvider
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _created = new();
    private int _count;

    public FakeTimeProvider Fake { get; } = Buses.FakeTime();

    public int TimersCreated => Volatile.Read(ref _count);

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        Signal(Interlocked.Increment(ref _count));
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers have been created in total.</summary>
    public Task TimerCreatedAsync(int count) => Gate(count).Task.Within();

    public void Advance(TimeSpan by) => Fake.Advance(by);

    private void Signal(int count) => Gate(count).TrySetResult();

    private TaskCompletionSource Gate(int count) => _created.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
