using EventBus;

namespace AotSample;

/// <summary>A customer placed an order.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Amount">What the customer pays.</param>
[EventType("order.placed")]
public sealed record OrderPlaced(string OrderId, decimal Amount);

/// <summary>The order was invoiced; named <c>invoice.sent</c> by convention.</summary>
/// <param name="OrderId">The order.</param>
public sealed record InvoiceSent(string OrderId);

/// <summary>Asks for an order's amount with tax.</summary>
/// <param name="Amount">The amount before tax.</param>
public sealed record TaxedAmount(decimal Amount) : IQuery<decimal>;
