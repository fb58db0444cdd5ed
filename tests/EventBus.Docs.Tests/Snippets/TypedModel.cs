using System.Text.Json.Serialization;

namespace EventBus.Docs.Tests.Snippets.Typed;

// The README's typed model: payload types, handler classes and middleware, found by the generated AddEventHandlers().

// begin-snippet: typed-types
[EventType("order.shipped")]                          // without it: "order.shipped" too, from the type's name
public sealed record OrderShipped(int OrderId, string Carrier);

public sealed record StockLevel(string Sku) : IQuery<int>;

[EventHandler(Concurrency = 4, MaxAttempts = 5)]      // optional; ConfigureHandler<T>(...) changes it by code
public sealed class ShipmentMailer(IHandlerContext context) : IEventHandler<OrderShipped>
{
    public async ValueTask HandleAsync(EventEnvelope envelope, OrderShipped shipped, CancellationToken cancellationToken)
    {
        // Published through the context: same workflow and correlation, caused by the shipment.
        await context.PublishAsync(new MailQueued(shipped.OrderId), cancellationToken);
    }
}

public sealed class StockDesk : IQueryHandler<StockLevel, int>
{
    public ValueTask<int> HandleAsync(EventEnvelope envelope, StockLevel query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(query.Sku.Length);
}

public sealed class SkipTestTraffic : IEventMiddleware
{
    public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep) =>
        context.Envelope.Metadata.ContainsKey("test-traffic")
            ? ValueTask.CompletedTask                      // short-circuit: the handling counts as done
            : nextStep();                                  // a throw from here on goes to the retry policy
}
// end-snippet

/// <summary>What the mailer publishes.</summary>
/// <param name="OrderId">The order.</param>
public sealed record MailQueued(int OrderId);

// begin-snippet: typed-json-context
[JsonSerializable(typeof(OrderShipped))]             // every payload type that is stored or sent
[JsonSerializable(typeof(MailQueued))]
internal sealed partial class ShopJsonContext : JsonSerializerContext;
// end-snippet
