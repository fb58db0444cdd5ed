namespace EventBus.Benchmarks;

/// <summary>Switches between the full and the quick (reduced) benchmark set.</summary>
public static class BenchmarkSettings
{
    public const string QuickVariable = "EVENTBUS_BENCH_QUICK";

    private static bool? _quick;

    /// <summary>Gets or sets a value indicating whether the reduced set runs. Out-of-process runs read it from the environment.</summary>
    public static bool Quick
    {
        get => _quick ?? Environment.GetEnvironmentVariable(QuickVariable) == "1";
        set => _quick = value;
    }

    public static IEnumerable<int> EndToEndEvents => Quick ? [100_000] : [1_000_000];

    public static IEnumerable<int> SubscriptionCounts => Quick ? [10, 10_000] : [10, 1_000, 10_000];
}
