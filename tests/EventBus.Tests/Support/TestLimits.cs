namespace EventBus.Tests.Support;

internal static class TestLimits
{
    /// <summary>A guard against a hung test, never a timing assertion: every await completes on a signal long before it.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public static Task Within(this Task task) => task.WaitAsync(Hang);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Hang);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Hang);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Hang);
}
