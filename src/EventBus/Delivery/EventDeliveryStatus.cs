namespace EventBus;

/// <summary>Where one recent event stands: for the bus, and for each subscription it reached.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="PublishedAt">When the event was created.</param>
/// <param name="State"><see cref="DeliveryState.Published"/>, or <see cref="DeliveryState.Dropped"/> when a full bus dropped it.</param>
/// <param name="Subscriptions">Its status for each subscription it was routed to, in routing order.</param>
public sealed record EventDeliveryStatus(Guid EventId, string EventType, DateTimeOffset PublishedAt, DeliveryState State, IReadOnlyList<SubscriptionDeliveryStatus> Subscriptions);
