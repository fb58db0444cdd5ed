namespace EventBus;

/// <summary>How one subscription finished with a published event.</summary>
public sealed record DeliveryOutcome
{
    /// <summary>Gets the subscription's id.</summary>
    public required Guid SubscriptionId { get; init; }

    /// <summary>Gets the subscriber's id.</summary>
    public required string SubscriberId { get; init; }

    /// <summary>Gets the result.</summary>
    public required DeliveryResult Result { get; init; }

    /// <summary>Gets the handler's exception when <see cref="Result"/> is <see cref="DeliveryResult.Failed"/>.</summary>
    public Exception? Exception { get; init; }
}
