using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>
/// Relays the events bound for one <see cref="IExternalPublisher"/>. When the bus's store is an <see cref="IEventLog"/>,
/// the store is the outbox: <see cref="OutboxRelay"/> sends stored events from it and only temporary events (which the
/// store does not keep) go through the subscription. Otherwise every event goes through the subscription, whose bounded
/// buffer is the in-memory outbox (overflow counted as drops); its handlers send through a <see cref="BatchingSender"/>, so
/// that under load the publisher gets batches rather than one event at a time. Events that arrived from outside are never relayed.
/// </summary>
#pragma warning disable CA1001 // The token sources live from StartAsync to StopAsync, which disposes them.
internal sealed class ExternalRelay(Func<IServiceProvider, IExternalPublisher> create, EventFilter binding, ExternalPublisherOptions options) : IHostedService
{
    /// <summary>Marks an event the durable relay dead-lettered: retried, it is sent from memory, as it is no longer ahead of the checkpoint.</summary>
    internal const string DeadLetteredMarker = "eventbus.relay";

    private OutboxRelay? _outbox;
    private Task? _running;
    private CancellationTokenSource? _stopping;
    private CancellationTokenSource? _abort;

    public ExternalRelayStatistics Statistics { get; private set; } = new(string.Empty);

    /// <summary>Creates the publisher and subscribes the relay; called when the bus is created.</summary>
    public ISubscription Attach(IServiceProvider provider, IEventSubscriber bus)
    {
        IExternalPublisher publisher = create(provider);
        Statistics = new ExternalRelayStatistics(publisher.Name);
        EventFilter relayed = binding.And(EventFilter.Not(EventFilter.Metadata(EventMetadataKeys.ReceivedFrom)));
        EventStoreOptions? levels = provider.GetService<IOptions<EventStoreOptions>>()?.Value;
        ILogger logger = provider.GetService<ILoggerFactory>()?.CreateLogger("EventBus.ExternalRelay") ?? NullLogger.Instance;
        BatchingSender sender = new(publisher);
        Func<EventEnvelope, CancellationToken, ValueTask> send = async (envelope, cancellationToken) =>
        {
            await sender.SendAsync(envelope, cancellationToken).ConfigureAwait(false);
            Statistics.AddSent(1);
        };

        ISubscription subscription;
        if (options.UseStoreAsOutbox && levels is not null && provider.GetService<IEventStore>() is IEventLog log && bus is ChannelEventBus channelBus)
        {
            Statistics.IsDurable = true;
            // Only what the store does not keep goes through the subscription: stored events cost it nothing.
            EventFilter notInLog = EventFilter.Where(envelope => !IsInLog(envelope, levels), "not kept by the store");
            subscription = bus.Subscribe(relayed.And(notInLog), send, SubscriptionOptions());
            _outbox = new OutboxRelay(log, publisher, relayed, options, Statistics, channelBus, subscription, logger);
        }
        else
        {
            Statistics.IsSending = true;
            subscription = bus.Subscribe(relayed, send, SubscriptionOptions());
        }

        return subscription;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_outbox is { } outbox && _running is null)
        {
            _stopping = new CancellationTokenSource();
            _abort = new CancellationTokenSource();
            _running = outbox.RunAsync(_stopping.Token, _abort.Token);
        }

        return Task.CompletedTask;
    }

    /// <summary>Lets the batch being sent finish (its confirms move the checkpoint); what is left is sent after the next start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running is not { } running)
        {
            return;
        }

        await _stopping!.CancelAsync().ConfigureAwait(false);
        using (cancellationToken.Register(_abort!.Cancel))
        {
            await running.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _abort.Dispose();
        _running = null;
    }

    /// <summary>Whether the store keeps the event, so that the durable relay sends it from there.</summary>
    private static bool IsInLog(EventEnvelope envelope, EventStoreOptions levels) =>
        levels.LevelOf(envelope) != PersistenceLevel.Temporary && !envelope.Metadata.ContainsKey(DeadLetteredMarker);

    private SubscriptionOptions SubscriptionOptions() => new()
    {
        SubscriberId = ExternalPublishers.SubscriberIdOf(Statistics.Publisher),
        BufferCapacity = options.OutboxCapacity,
        FullMode = SubscriptionFullMode.Drop,
        Concurrency = options.Concurrency,
        Retry = options.Retry,
    };
}
#pragma warning restore CA1001
