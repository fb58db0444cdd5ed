namespace EventBus;

/// <summary>Where one event stands for one subscription.</summary>
/// <param name="SubscriptionId">The subscription's id.</param>
/// <param name="SubscriberId">The subscriber's id.</param>
/// <param name="State">The state.</param>
/// <param name="Attempts">The delivery attempts made so far (retries included).</param>
/// <param name="UpdatedAt">When the state last changed.</param>
/// <param name="LastError">The last attempt's error message, or null.</param>
public sealed record SubscriptionDeliveryStatus(Guid SubscriptionId, string SubscriberId, DeliveryState State, int Attempts, DateTimeOffset UpdatedAt, string? LastError);
