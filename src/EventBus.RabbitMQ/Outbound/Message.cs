using global::RabbitMQ.Client;

namespace EventBus.RabbitMQ;

/// <summary>An AMQP message ready to publish: one event, or a CloudEvents batch of events of one type.</summary>
/// <param name="RoutingKey">The event type.</param>
/// <param name="Properties">The message's properties and headers.</param>
/// <param name="Body">The CloudEvent or the batch, as UTF-8 JSON.</param>
internal sealed record Message(string RoutingKey, BasicProperties Properties, byte[] Body);
