using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBus.RabbitMQ;

/// <summary>
/// Receives this application's queue into the bus. Each message (one CloudEvent, or a CloudEvents batch handled event by
/// event in order) is decoded, published into the bus with
/// <see cref="EventMetadataKeys.ReceivedFrom"/> set (so it is never sent back out), and acknowledged only once every
/// local handler has finished with it; handler failures are the bus's to retry and dead-letter. A message that can not
/// become an event (malformed, too large, unknown type) or that the bus refuses is moved to the dead-letter exchange with
/// the reason in its headers, and the consumer goes on. While the broker is away, the client reconnects and re-creates
/// the consumer; a broker missing at start is retried in the background.
/// </summary>
public sealed class RabbitMqConsumer : BackgroundService
{
    /// <summary>The header of a dead-lettered message that says why it was refused (a <see cref="WireFormatError"/> name, or <c>RefusedByBus</c>).</summary>
    public const string ReasonHeader = "x-eventbus-reason";

    /// <summary>The header of a dead-lettered message with the refusal's message.</summary>
    public const string ErrorHeader = "x-eventbus-error";

    /// <summary>The header of a dead-lettered message naming the queue that refused it.</summary>
    public const string QueueHeader = "x-eventbus-queue";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly RabbitMqConnection _connection;
    private readonly RabbitMqOptions _options;
    private readonly CloudEventJsonFormat _format;
    private readonly IEventBus _bus;
    private readonly RabbitMqMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _queue;
    private readonly Inbox _inbox;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DeliveryGate _gate = new();
    private readonly SemaphoreSlim _binding = new(1, 1);
    private HashSet<string> _bound = new(StringComparer.Ordinal);
    private IChannel? _channel;
    private IReadOnlyList<KeyValuePair<string, string>> _consumers = [];
    private long _echoes;

    internal RabbitMqConsumer(RabbitMqConnection connection, RabbitMqOptions options, CloudEventJsonFormat format, IEventBus bus, RabbitMqMetrics metrics, ILogger<RabbitMqConsumer> logger, IInboxStore? inboxStore)
    {
        _connection = connection;
        _options = options;
        _format = format;
        _bus = bus;
        _metrics = metrics;
        _logger = logger;
        _queue = options.QueueName!;
        _inbox = new Inbox(bus.TimeProvider, options.InboxWindow, options.InboxCapacity, inboxStore);
        if (options.ReceiveSubscribed)
        {
            bus.SubscriptionsChanged += (_, _) => _ = UpdateBindingsInBackgroundAsync();
        }
    }

    /// <summary>Gets how many redelivered events the inbox recognised and acknowledged without handling them again.</summary>
    public long Duplicates => _inbox.Duplicates;

    /// <summary>Gets the type patterns the queue is bound with now.</summary>
    public IReadOnlyCollection<string> Bindings => Volatile.Read(ref _bound);

    /// <summary>Gets how many messages this application had published itself came back and were acknowledged unhandled (its instances handled them locally).</summary>
    public long Echoes => Interlocked.Read(ref _echoes);

    /// <summary>
    /// Brings the queue's bindings in step with <see cref="RabbitMqOptions.Receive"/> and, with
    /// <see cref="RabbitMqOptions.ReceiveSubscribed"/>, the type patterns the live subscriptions imply: binds the new ones
    /// and removes the ones no subscription needs any longer. The consumer does it on every subscription change; await it
    /// to know the broker has them. Before the consumer is connected it does nothing (connecting binds them all).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the bindings are in step.</returns>
    public async Task UpdateBindingsAsync(CancellationToken cancellationToken = default)
    {
        await _binding.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is not { IsOpen: true } channel)
            {
                return;
            }

            HashSet<string> wanted = WantedBindings();
            foreach (string pattern in wanted.Except(_bound))
            {
                await QueueTopology.BindAsync(channel, _options, pattern, cancellationToken).ConfigureAwait(false);
            }

            foreach (string pattern in _bound.Except(wanted))
            {
                await QueueTopology.UnbindAsync(channel, _options, pattern, cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _bound, wanted);
        }
        finally
        {
            _binding.Release();
        }
    }

    /// <summary>Gets how many inbox entries were read back from the store at start (events handled by an earlier run within the window).</summary>
    public int InboxRestored => _inbox.Restored;

    /// <summary>Gets a task that completes once the queue is declared and bound and the consumer is registered with the broker.</summary>
    public Task Ready => _ready.Task;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } channel)
        {
            // Finish the message being handled (it is acknowledged), hand no further one to the bus, make sure the broker
            // has taken every acknowledgement, then close: the messages the broker had handed over but that were not
            // handled go back to the queue in their order, before another instance takes over. Cancelling first would let
            // another single active consumer start on later messages while these were still being handled here, out of order.
            Task drained = _gate.CloseAsync();
            try
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
                await AcknowledgementBarrier.PassAsync(channel, _consumers, _options.Partitions > 0, _options.Prefetch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown time is up: close anyway; what was not acknowledged is delivered again.
            }
            catch (global::RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The broker closed the channel or went away meanwhile: what was not acknowledged is delivered again.
            }

            try
            {
                await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (global::RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                // The broker went away meanwhile: the messages not acknowledged are delivered again all the same.
            }
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _channel?.Dispose();
        _binding.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _inbox.RestoreAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Handling goes on; only redeliveries of events handled before this start may be handled again.
            Log.InboxRestoreFailed(_logger, exception, _queue);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _channel = await StartConsumingAsync(stoppingToken).ConfigureAwait(false);
                _ready.TrySetResult();
                Log.Consuming(_logger, _options.ToString(), _queue, string.Join(", ", _options.Receive));
                return;
            }
            catch (RabbitMqConnectionException exception)
            {
                Log.BrokerUnavailable(_logger, exception, _options.ToString(), RetryDelay);
                await Task.Delay(RetryDelay, _bus.TimeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IChannel> StartConsumingAsync(CancellationToken cancellationToken)
    {
        IConnection connection = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);

        // Confirms on this channel too: a refused message is acknowledged only once its dead-letter copy is confirmed.
        IChannel channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> queues;
        await _binding.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            HashSet<string> wanted = WantedBindings();
            queues = await QueueTopology.DeclareAsync(channel, _options, wanted, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _bound, wanted);
        }
        finally
        {
            _binding.Release();
        }

        await channel.BasicQosAsync(0, _options.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
        AsyncEventingBasicConsumer consumer = new(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleCountedAsync(channel, delivery);
        List<KeyValuePair<string, string>> consumers = [];
        foreach (string queue in queues)
        {
            string consumerTag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            consumers.Add(new(queue, consumerTag));
        }

        _consumers = consumers;
        return channel;
    }

    /// <summary>
    /// The patterns the queue should be bound with: <see cref="RabbitMqOptions.Receive"/>, and with
    /// <see cref="RabbitMqOptions.ReceiveSubscribed"/> those of every subscription but the relays' (a subscription that
    /// promises nothing about the type needs <c>#</c>).
    /// </summary>
    private HashSet<string> WantedBindings()
    {
        HashSet<string> wanted = new(_options.Receive, StringComparer.Ordinal);
        if (_options.ReceiveSubscribed)
        {
            foreach (ISubscription subscription in _bus.Subscriptions)
            {
                if (!subscription.SubscriberId.StartsWith(ExternalPublishers.SubscriberIdPrefix, StringComparison.Ordinal))
                {
                    wanted.UnionWith(subscription.Filter.ImpliedTypePatterns ?? ["#"]);
                }
            }
        }

        return wanted;
    }

    private async Task UpdateBindingsInBackgroundAsync()
    {
        try
        {
            await UpdateBindingsAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A binding that failed is retried with the next change or reconnection; it is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.BindingFailed(_logger, exception, _queue);
        }
    }

    private async Task HandleCountedAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        // Stopping: left unacknowledged, so closing the channel returns it to the queue for the next consumer.
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            await HandleAsync(channel, delivery).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is global::RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException)
        {
            // The channel closed under the message (broker gone, or the application stopping): it was not acknowledged,
            // so the broker delivers it again, and the inbox keeps a handled one from being handled twice here.
            Log.DeliveryInterrupted(_logger, _queue, delivery.DeliveryTag, exception.Message);
        }
#pragma warning disable CA1031 // Anything else: the message goes back to the queue, never left unacknowledged for the channel's life.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Handed back, it counts as a delivery: a message that fails this way every time reaches the delivery limit and
            // the dead-letter exchange instead of going round for ever.
            Log.DeliveryFailed(_logger, exception, _queue, delivery.DeliveryTag);
            await NackAsync(channel, delivery).ConfigureAwait(false);
        }
        finally
        {
            _gate.Exit();
        }
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        if (IsEcho(delivery))
        {
            // Published by this application: its instances handled it locally already.
            Interlocked.Increment(ref _echoes);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
            return;
        }

        if (delivery.BasicProperties.ContentType == CloudEventAttributes.BatchContentType)
        {
            await HandleBatchAsync(channel, delivery).ConfigureAwait(false);
            return;
        }

        EventEnvelope envelope;
        try
        {
            envelope = _format.Decode(delivery.Body);
        }
        catch (WireFormatException exception)
        {
            Log.MessageRefused(_logger, _queue, exception.Error, _options.DeadLetterExchange, exception.Message);
            await DeadLetterAsync(channel, delivery, exception.Error.ToString(), exception.Message).ConfigureAwait(false);
            return;
        }

        if (!await HandleEventAsync(channel, delivery, envelope).ConfigureAwait(false))
        {
            // Not handled here: back to the queue, for another instance or for this one after its restart.
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Handles a CloudEvents batch event by event, in order, and acknowledges it once all were handled. An entry that can
    /// not become an event, or that the bus refuses, is dead-lettered alone and the others are handled; a batch delivered
    /// again (after a crash mid-batch) has its handled events recognised by the inbox.
    /// </summary>
    private async Task HandleBatchAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        List<BatchEntry> entries;
        try
        {
            entries = _format.DecodeBatch(delivery.Body);
        }
        catch (WireFormatException exception)
        {
            Log.MessageRefused(_logger, _queue, exception.Error, _options.DeadLetterExchange, exception.Message);
            await DeadLetterAsync(channel, delivery, exception.Error.ToString(), exception.Message).ConfigureAwait(false);
            return;
        }

        foreach (BatchEntry entry in entries)
        {
            if (entry.Event is not { } envelope)
            {
                WireFormatException error = entry.Error!;
                Log.MessageRefused(_logger, _queue, error.Error, _options.DeadLetterExchange, error.Message);
                await PublishDeadLetterAsync(channel, delivery, entry.Json, CloudEventAttributes.StructuredContentType, error.Error.ToString(), error.Message).ConfigureAwait(false);
            }
            else if (_gate.IsClosed || !await HandleEventAsync(channel, delivery, envelope).ConfigureAwait(false))
            {
                // The rest is not handled here: the batch goes back to the queue, and its handled events are recognised.
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
                return;
            }
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands one event to the bus and waits for its handlers, unless the inbox knows it; an event the bus refuses is
    /// dead-lettered. Returns false when the bus is stopping and did not take it.
    /// </summary>
    private async Task<bool> HandleEventAsync(IChannel channel, BasicDeliverEventArgs delivery, EventEnvelope decoded)
    {
        if (_inbox.IsDuplicate(decoded))
        {
            _metrics.Duplicates.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", _queue));
            return true;
        }

        EventEnvelope envelope = decoded.WithMetadata(EventMetadataKeys.ReceivedFrom, "rabbitmq");
        try
        {
            await _bus.PublishAndWaitAsync(envelope).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            // The bus's own checks (size limits, a strict catalogue): this event would be refused every time.
            Log.EventRefused(_logger, exception, envelope.Id, envelope.Type, _queue, _options.DeadLetterExchange);
            byte[] body = delivery.BasicProperties.ContentType == CloudEventAttributes.BatchContentType ? _format.Encode(decoded) : delivery.Body.ToArray();
            await PublishDeadLetterAsync(channel, delivery, body, CloudEventAttributes.StructuredContentType, "RefusedByBus", exception.Message).ConfigureAwait(false);
            return true;
        }
        catch (EventBusStoppedException)
        {
            return false;
        }

        await _inbox.HandledAsync(envelope).ConfigureAwait(false);
        _metrics.Received.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", _queue));
        return true;
    }

    private bool IsEcho(BasicDeliverEventArgs delivery) =>
        delivery.BasicProperties.Headers?.TryGetValue(RabbitMqPublisher.OriginHeader, out object? origin) == true
        && origin is byte[] bytes
        && System.Text.Encoding.UTF8.GetString(bytes) == _queue;

    private static async Task NackAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        try
        {
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is global::RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException)
        {
            // The channel is gone: the message is delivered again all the same.
        }
    }

    /// <summary>Moves the whole message to the dead-letter exchange with the reason, then acknowledges it.</summary>
    private async Task DeadLetterAsync(IChannel channel, BasicDeliverEventArgs delivery, string reason, string error)
    {
        await PublishDeadLetterAsync(channel, delivery, delivery.Body, delivery.BasicProperties.ContentType, reason, error).ConfigureAwait(false);
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
    }

    /// <summary>Publishes a refused message, or one refused event of a batch, to the dead-letter exchange and waits for its confirm.</summary>
    private async Task PublishDeadLetterAsync(IChannel channel, BasicDeliverEventArgs delivery, ReadOnlyMemory<byte> body, string? contentType, string reason, string error)
    {
        BasicProperties properties = new()
        {
            Persistent = true,
            ContentType = contentType,
            MessageId = delivery.BasicProperties.MessageId,
            Headers = new Dictionary<string, object?>
            {
                [ReasonHeader] = reason,
                [ErrorHeader] = error.Length > 1_000 ? error[..1_000] : error,
                [QueueHeader] = _queue,
            },
        };
        await channel.BasicPublishAsync(_options.DeadLetterExchange, delivery.RoutingKey, mandatory: false, properties, body).ConfigureAwait(false);
        _metrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("eventbus.dead_letter.reason", reason));
    }
}
