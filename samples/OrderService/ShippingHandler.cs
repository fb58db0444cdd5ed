using EventBus;

namespace OrderService;

/// <summary>Ships paid orders: handles <c>order.placed</c> and publishes <c>order.shipped</c>, caused by it.</summary>
public sealed class ShippingHandler(IEventPublisher publisher) : IEventHandler<OrderPlaced>
{
    public async ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken)
    {
        if (payload.Amount <= 0)
        {
            throw new ArgumentException($"Order '{payload.OrderId}' has amount {payload.Amount}; only paid orders ship.", nameof(payload));
        }

        EventEnvelope shipped = new EventBuilder("order.shipped").CausedBy(envelope).WithSource("shipping").Build(publisher.TimeProvider);
        await publisher.PublishAsync(shipped, cancellationToken);
    }
}
