namespace OrderService;

/// <summary>The payload of <c>order.placed</c>.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Amount">What the customer pays.</param>
public sealed record OrderPlaced(string OrderId, decimal Amount);
