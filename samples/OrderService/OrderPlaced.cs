using EventBus;

namespace OrderService;

/// <summary>A customer placed an order: published as an object, its event type comes from the attribute.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Amount">What the customer pays.</param>
[EventType("order.placed")]
public sealed record OrderPlaced(string OrderId, decimal Amount);
