namespace EventBus;

/// <summary>Where one recent event stands: for the bus, and for each subscription it reached.</summary>
public sealed record EventDeliveryStatus
{
    /// <summary>Gets the event's id.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Gets the event's type.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets when the event was created.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>Gets <see cref="DeliveryState.Published"/>, or <see cref="DeliveryState.Dropped"/> when a full bus dropped it.</summary>
    public required DeliveryState State { get; init; }

    /// <summary>Gets its status for each subscription it was routed to, in routing order.</summary>
    public required IReadOnlyList<SubscriptionDeliveryStatus> Subscriptions { get; init; }
}
