using global::RabbitMQ.Client;
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

    /// <summary>Consumes <paramref name="queue"/> and returns a task that completes with a copy of its first message.</summary>
    public static async Task<Task<BasicDeliverEventArgs>> FirstOfAsync(IChannel channel, string queue)
    {
        TaskCompletionSource<BasicDeliverEventArgs> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        AsyncEventingBasicConsumer watcher = new(channel);
        watcher.ReceivedAsync += (_, delivery) =>
        {
            first.TrySetResult(Keep(delivery));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, watcher);
        return first.Task;
    }
}
