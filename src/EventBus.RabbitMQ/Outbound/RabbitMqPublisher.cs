using global::RabbitMQ.Client;

namespace EventBus.RabbitMQ;

/// <summary>
/// Publishes events to the topic exchange with the event type as routing key, as persistent CloudEvents, and completes
/// each publish only when the broker confirmed it (a refused publish throws, so the relay retries it). Publishes share
/// one confirming channel and are pipelined: many may wait for their confirms at once. With
/// <see cref="RabbitMqOptions.EventsPerMessage"/> above 1, a batch is packed into CloudEvents batch messages.
/// </summary>
public sealed class RabbitMqPublisher : IExternalPublisher
{
    private readonly RabbitMqConnection _connection;
    private readonly RabbitMqOptions _options;
    private readonly CloudEventJsonFormat _format;
    private readonly SemaphoreSlim _opening = new(1, 1);

    // Held while a publish or a batch is handed to the channel: calls made one after another, without waiting for the
    // previous one's confirms, reach the broker in call order even while the channel is (re)opening (its waiters are
    // served first come, first served).
    private readonly SemaphoreSlim _issuing = new(1, 1);
    private IChannel? _channel;

    internal RabbitMqPublisher(RabbitMqConnection connection, RabbitMqOptions options, CloudEventJsonFormat format)
    {
        _connection = connection;
        _options = options;
        _format = format;
    }

    /// <summary>The message header naming the application that published it (its <see cref="RabbitMqOptions.QueueName"/>), so that its own queue does not hand it back.</summary>
    public const string OriginHeader = "x-eventbus-origin";

    /// <summary>The publisher's name: its relay's subscriber id is <c>external:rabbitmq</c>.</summary>
    public const string PublisherName = "rabbitmq";

    /// <inheritdoc />
    public string Name => PublisherName;

    /// <inheritdoc />
    public async ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Message message = Single(envelope, Encode(envelope));
        ValueTask publish;
        await _issuing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IChannel channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            publish = PublishOnAsync(channel, message, cancellationToken);
        }
        finally
        {
            _issuing.Release();
        }

        await publish.ConfigureAwait(false);
    }

    private ValueTask PublishOnAsync(IChannel channel, Message message, CancellationToken cancellationToken) =>
        channel.BasicPublishAsync(_options.Exchange, message.RoutingKey, mandatory: false, message.Properties, message.Body, cancellationToken);

    /// <summary>An event as a message of its own.</summary>
    private Message Single(EventEnvelope envelope, byte[] body)
    {
        BasicProperties properties = Properties(envelope, CloudEventAttributes.StructuredContentType);
        properties.MessageId = envelope.Id.ToString();
        properties.CorrelationId = envelope.CorrelationId;
        return new Message(envelope.Type, properties, body);
    }

    /// <summary>Events of one type and one ordering-key bucket as a CloudEvents batch.</summary>
    private Message Batch(IReadOnlyList<EventEnvelope> envelopes, byte[][] bodies, List<int> events) =>
        events.Count == 1
            ? Single(envelopes[events[0]], bodies[events[0]])
            : new Message(
                envelopes[events[0]].Type,
                Properties(envelopes[events[0]], CloudEventAttributes.BatchContentType),
                CloudEventJsonFormat.JoinBatch([.. events.Select(i => bodies[i])]));

    private BasicProperties Properties(EventEnvelope envelope, string contentType)
    {
        BasicProperties properties = new()
        {
            Persistent = true,
            ContentType = contentType,
            Type = envelope.Type,
            Timestamp = new AmqpTimestamp(envelope.Timestamp.ToUnixTimeSeconds()),

            // Partitioned consumers hash this header, so events of one ordering key land in one partition queue.
            Headers = new Dictionary<string, object?> { [QueueTopology.PartitionKeyHeader] = MessageGrouping.PartitionHeader(envelope, _options.EventsPerMessage) },
        };
        if (_options.QueueName is { } origin)
        {
            properties.Headers[OriginHeader] = origin;
        }

        return properties;
    }

    /// <summary>
    /// Writes the CloudEvent, or refuses an event that can never be sent (its data does not serialize, or the message is
    /// over the readers' limit) with an <see cref="ArgumentException"/>: the relay dead-letters it instead of retrying.
    /// </summary>
    private byte[] Encode(EventEnvelope envelope)
    {
        byte[] message;
        try
        {
            message = _format.Encode(envelope);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new ArgumentException($"Event {envelope.Type} {envelope.Id} can not be written as a CloudEvent: {exception.Message} Register its data type in the EventCatalog with a JSON-serializable type.", nameof(envelope), exception);
        }

        return message.Length <= _format.MaxMessageBytes
            ? message
            : throw new ArgumentException($"Event {envelope.Type} {envelope.Id} is {message.Length} bytes as a CloudEvent; consumers read at most {_format.MaxMessageBytes} (RabbitMqOptions.MaxMessageBytes). Send smaller events, or raise the limit on every application.", nameof(envelope));
    }

    /// <inheritdoc />
    public async ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);

        // Encoded first: an event that can never be sent refuses the batch before any of it leaves.
        byte[][] bodies = [.. envelopes.Select(Encode)];
        List<Message> messages = _options.EventsPerMessage == 1
            ? [.. envelopes.Select((envelope, i) => Single(envelope, bodies[i]))]
            : [.. MessageGrouping.Group(envelopes, [.. bodies.Select(b => b.Length)], _options.EventsPerMessage, _format.MaxMessageBytes).Select(events => Batch(envelopes, bodies, events))];

        // One channel for the whole batch, and every publish started from this loop in order: the broker keeps a channel's
        // order, so the messages arrive in it. (Each publish fetching the channel itself could reorder them while it opens.)
        Task[] publishes = new Task[messages.Count];
        await _issuing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IChannel channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < publishes.Length; i++)
            {
                publishes[i] = PublishOnAsync(channel, messages[i], cancellationToken).AsTask();
            }
        }
        finally
        {
            _issuing.Release();
        }

        await Task.WhenAll(publishes).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Every publish completes only once confirmed, so when the publishes awaited so far have completed, nothing is in flight.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await channel.CloseAsync().ConfigureAwait(false);
            channel.Dispose();
        }

        _opening.Dispose();
        _issuing.Dispose();
    }

    private async ValueTask<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsOpen: true } reopened)
            {
                return reopened;
            }

            IConnection connection = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
            // No client-side limiter: the relay bounds what is in flight, and the client's default one delays publishes by
            // up to a second once 64 confirms are outstanding (measured: 14,300 confirmed msg/s with it, 16,500 without).
            IChannel channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
                cancellationToken).ConfigureAwait(false);
            await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            _channel?.Dispose();
            _channel = channel;
            return channel;
        }
        finally
        {
            _opening.Release();
        }
    }
}
