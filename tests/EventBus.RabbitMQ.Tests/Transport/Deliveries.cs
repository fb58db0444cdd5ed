using global::RabbitMQ.Client.Events;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>Helpers for deliveries a test's own consumer receives.</summary>
internal static class Deliveries
{
    /// <summary>
    /// Copies a delivery whose body is read after the handler returned: the client lends the body's buffer for the
    /// handler's duration only, and reuses it after.
    /// </summary>
    public static BasicDeliverEventArgs Keep(BasicDeliverEventArgs delivery) =>
        new(delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey, delivery.BasicProperties, delivery.Body.ToArray(), delivery.CancellationToken);
}
