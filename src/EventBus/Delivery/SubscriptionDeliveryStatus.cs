namespace EventBus;

/// <summary>Where one event stands for one subscription.</summary>
public sealed record SubscriptionDeliveryStatus
{
    /// <summary>Gets the subscription's id.</summary>
    public required Guid SubscriptionId { get; init; }

    /// <summary>Gets the subscriber's id.</summary>
    public required string SubscriberId { get; init; }

    /// <summary>Gets the state.</summary>
    public required DeliveryState State { get; init; }

    /// <summary>Gets the delivery attempts made so far (retries included).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the state last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the last attempt's error message, or null.</summary>
    public string? LastError { get; init; }
}
