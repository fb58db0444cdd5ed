namespace EventBus;

/// <summary>
/// Handler durations in logarithmic buckets (four per doubling, from 1 µs to about 18 minutes), written by one lane
/// loop without locks and read by snapshots. Percentiles are the upper bound of the bucket they fall in: within 19%.
/// </summary>
internal sealed class DurationHistogram
{
    private const int BucketsPerDoubling = 4;
    private const int Buckets = 30 * BucketsPerDoubling;
    private readonly long[] _counts = new long[Buckets];

    public void Record(TimeSpan duration)
    {
        double micros = Math.Max(duration.Ticks / 10.0, 1);
        int bucket = Math.Min((int)(Math.Log2(micros) * BucketsPerDoubling), Buckets - 1);
        Volatile.Write(ref _counts[bucket], _counts[bucket] + 1);
    }

    /// <summary>Adds this histogram's counts into <paramref name="totals"/>.</summary>
    public void AddTo(long[] totals)
    {
        for (int i = 0; i < Buckets; i++)
        {
            totals[i] += Volatile.Read(ref _counts[i]);
        }
    }

    public static long[] NewTotals() => new long[Buckets];

    /// <summary>Gets the duration below which <paramref name="quantile"/> of the recorded durations fall, or zero when none were recorded.</summary>
    public static TimeSpan Percentile(long[] totals, double quantile)
    {
        long count = 0;
        foreach (long bucketCount in totals)
        {
            count += bucketCount;
        }

        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = (long)Math.Ceiling(quantile * count);
        long seen = 0;
        for (int i = 0; i < Buckets; i++)
        {
            seen += totals[i];
            if (seen >= rank)
            {
                return TimeSpan.FromTicks((long)(Math.Pow(2, (i + 1) / (double)BucketsPerDoubling) * 10));
            }
        }

        return TimeSpan.MaxValue;
    }
}
