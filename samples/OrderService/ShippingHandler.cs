using EventBus;

namespace OrderService;

/// <summary>
/// Ships paid orders. Found at compile time by <c>AddEventHandlers()</c>; what it publishes through its context is
/// caused by the order it handles (same workflow and correlation).
/// </summary>
[EventHandler(SubscriberId = "shipping", MaxAttempts = 1)]
public sealed class ShippingHandler(IHandlerContext context) : IEventHandler<OrderPlaced>
{
    public async ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken)
    {
        if (payload.Amount <= 0)
        {
            throw new ArgumentException($"Order '{payload.OrderId}' has amount {payload.Amount}; only paid orders ship.", nameof(payload));
        }

        await context.PublishAsync(new OrderShipped(payload.OrderId), e => e.WithSource("shipping"), cancellationToken);
    }
}
