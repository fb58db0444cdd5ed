using global::RabbitMQ.Client;

namespace EventBus.RabbitMQ;

/// <summary>
/// Declares what an application receives through: the topic exchange, the dead-letter exchange and queue, and either
/// one durable queue bound with the receive patterns, or (with partitions) a consistent-hash exchange bound with those
/// patterns that spreads events by ordering key over partition queues, each consumed by one instance at a time
/// (single active consumer), so events of one key are handled in order even with several instances running.
/// </summary>
internal static class QueueTopology
{
    /// <summary>The message header the consistent-hash exchange hashes: the event's ordering key.</summary>
    public const string PartitionKeyHeader = "partitionkey";

    /// <summary>Declares everything, binds <paramref name="patterns"/>, and returns the queues to consume.</summary>
    public static async Task<IReadOnlyList<string>> DeclareAsync(IChannel channel, RabbitMqOptions options, IEnumerable<string> patterns, CancellationToken cancellationToken)
    {
        string queue = options.QueueName!;
        await channel.ExchangeDeclareAsync(options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(options.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(options.DeadLetterQueue!, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(options.DeadLetterQueue!, options.DeadLetterExchange, routingKey: string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (options.Partitions == 0)
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments(options, singleActiveConsumer: false), cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (string pattern in patterns)
            {
                await BindAsync(channel, options, pattern, cancellationToken).ConfigureAwait(false);
            }

            return [queue];
        }

        string hash = HashExchange(options);
        await channel.ExchangeDeclareAsync(
            hash,
            "x-consistent-hash",
            durable: true,
            autoDelete: false,
            arguments: new Dictionary<string, object?> { ["hash-header"] = PartitionKeyHeader },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (string pattern in patterns)
        {
            await BindAsync(channel, options, pattern, cancellationToken).ConfigureAwait(false);
        }

        List<string> partitions = [];
        for (int i = 0; i < options.Partitions; i++)
        {
            string partition = $"{queue}.{i}";
            await channel.QueueDeclareAsync(
                partition,
                durable: true,
                exclusive: false,
                autoDelete: false,
                arguments: QueueArguments(options, singleActiveConsumer: true),
                cancellationToken: cancellationToken).ConfigureAwait(false);

            // The routing key of a consistent-hash binding is the partition's weight.
            await channel.QueueBindAsync(partition, hash, "1", cancellationToken: cancellationToken).ConfigureAwait(false);
            partitions.Add(partition);
        }

        return partitions;
    }

    /// <summary>
    /// Binds the application's queue (or, with partitions, its consistent-hash exchange) to the topic exchange with a type
    /// pattern. Our patterns and AMQP topic patterns agree: '*' is one dot-separated word, '#' any number of them.
    /// </summary>
    public static Task BindAsync(IChannel channel, RabbitMqOptions options, string pattern, CancellationToken cancellationToken) =>
        options.Partitions == 0
            ? channel.QueueBindAsync(options.QueueName!, options.Exchange, pattern, cancellationToken: cancellationToken)
            : channel.ExchangeBindAsync(HashExchange(options), options.Exchange, pattern, cancellationToken: cancellationToken);

    /// <summary>Removes a binding made with <see cref="BindAsync"/>.</summary>
    public static Task UnbindAsync(IChannel channel, RabbitMqOptions options, string pattern, CancellationToken cancellationToken) =>
        options.Partitions == 0
            ? channel.QueueUnbindAsync(options.QueueName!, options.Exchange, pattern, cancellationToken: cancellationToken)
            : channel.ExchangeUnbindAsync(HashExchange(options), options.Exchange, pattern, cancellationToken: cancellationToken);

    private static string HashExchange(RabbitMqOptions options) => options.QueueName + ".partitions";

    /// <summary>
    /// A quorum queue with a delivery limit when one is set (poison messages then go to the dead-letter exchange after
    /// that many deliveries), else a classic queue.
    /// </summary>
    private static Dictionary<string, object?> QueueArguments(RabbitMqOptions options, bool singleActiveConsumer)
    {
        Dictionary<string, object?> arguments = [];
        if (singleActiveConsumer)
        {
            arguments["x-single-active-consumer"] = true;
        }

        if (options.DeliveryLimit > 0)
        {
            arguments["x-queue-type"] = "quorum";
            arguments["x-delivery-limit"] = options.DeliveryLimit;
            arguments["x-dead-letter-exchange"] = options.DeadLetterExchange;
        }

        return arguments;
    }
}
