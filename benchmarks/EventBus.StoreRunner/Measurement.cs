namespace EventBus.StoreRunner;

/// <summary>One timed scenario.</summary>
/// <param name="Store">The store measured.</param>
/// <param name="Scenario">What was done.</param>
/// <param name="Events">How many events.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Goal">The goal in events per second, or null.</param>
internal sealed record Measurement(string Store, string Scenario, long Events, TimeSpan Elapsed, double? Goal = null)
{
    public double PerSecond => Events / Elapsed.TotalSeconds;
}
