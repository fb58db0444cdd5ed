namespace EventBus;

/// <summary>How <see cref="EventReplayer"/> republishes stored events.</summary>
public sealed class ReplayOptions
{
    /// <summary>Gets or sets the only subscription the replayed events may reach; null for every matching subscription.</summary>
    public Guid? SubscriptionId { get; set; }

    /// <summary>Gets or sets the most events republished per second; null for as fast as the bus takes them.</summary>
    public double? MaxEventsPerSecond { get; set; }

    /// <summary>
    /// Gets or sets the most events to republish; the replay stops once that many were republished (events skipped
    /// because their payload could not be read do not count). Null replays everything the query selects.
    /// </summary>
    public long? Limit { get; set; }
}
