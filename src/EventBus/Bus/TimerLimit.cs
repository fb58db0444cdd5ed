namespace EventBus;

/// <summary>
/// The longest wait a .NET timer can be armed for (<see cref="uint.MaxValue"/> − 1 milliseconds, about 49.7 days).
/// Every timeout and delay option is checked against it when it is set up, not when a timer would fail to start.
/// </summary>
internal static class TimerLimit
{
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>Adds a problem to <paramref name="errors"/> when <paramref name="value"/> is longer than a timer can wait.</summary>
    public static void Check(string name, TimeSpan? value, List<string> errors, string fix)
    {
        if (value is { } wait && wait > Max)
        {
            errors.Add($"{name} is {wait}; it must be at most {Max} (the longest a timer can wait). {fix}");
        }
    }
}
