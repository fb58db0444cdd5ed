namespace EventBus;

/// <summary>What a store keeps: events younger than <see cref="MaxAge"/> and, of those, the newest <see cref="MaxCount"/>.</summary>
public sealed class EventRetention
{
    /// <summary>Gets or sets the oldest an event may be, measured from its timestamp; null for no age limit.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Gets or sets the most events to keep; null for no count limit.</summary>
    public long? MaxCount { get; set; }
}
