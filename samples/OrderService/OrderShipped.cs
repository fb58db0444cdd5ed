namespace OrderService;

/// <summary>The order left the warehouse; named <c>order.shipped</c> by convention (the type's name in dotted lower case).</summary>
/// <param name="OrderId">The order.</param>
public sealed record OrderShipped(string OrderId);
