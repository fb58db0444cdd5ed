using EventBus;

namespace OrderService;

/// <summary>A small service under test: placing an order publishes <see cref="OrderPlaced"/> for the order's workflow.</summary>
public sealed class Orders(IEventPublisher publisher)
{
    public async Task<Guid> PlaceAsync(string orderId, decimal amount, CancellationToken cancellationToken = default)
    {
        // CreateEvent builds the envelope PublishAsync(payload) would, so the caller gets its id back.
        EventEnvelope placed = publisher.CreateEvent(new OrderPlaced(orderId, amount), e => e.WithSource("orders").WithWorkflow(orderId));
        await publisher.PublishAsync(placed, cancellationToken);
        return placed.Id;
    }
}
