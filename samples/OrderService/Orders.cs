using EventBus;

namespace OrderService;

/// <summary>A small service under test: placing an order publishes <c>order.placed</c> for the order's workflow.</summary>
public sealed class Orders(IEventPublisher publisher)
{
    public async Task<Guid> PlaceAsync(string orderId, decimal amount, CancellationToken cancellationToken = default)
    {
        EventEnvelope placed = new EventBuilder("order.placed")
            .WithSource("orders")
            .WithWorkflow(orderId)
            .WithData(new OrderPlaced(orderId, amount))
            .Build(publisher.TimeProvider);
        await publisher.PublishAsync(placed, cancellationToken);
        return placed.Id;
    }
}
