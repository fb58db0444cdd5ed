namespace EventBus;

/// <summary>How one subscription finished with a published event.</summary>
/// <param name="SubscriptionId">The subscription's id.</param>
/// <param name="SubscriberId">The subscriber's id.</param>
/// <param name="Result">The result.</param>
/// <param name="Exception">The handler's exception when <paramref name="Result"/> is <see cref="DeliveryResult.Failed"/>.</param>
public sealed record DeliveryOutcome(Guid SubscriptionId, string SubscriberId, DeliveryResult Result, Exception? Exception = null);
