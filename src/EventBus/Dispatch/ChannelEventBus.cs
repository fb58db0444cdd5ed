using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// The bus: producers write accepted events into the channel of the worker that owns the event's ordering key;
/// workers route by priority into the channels of the matching subscriptions' lanes; each lane runs its handler.
/// </summary>
internal sealed partial class ChannelEventBus : IEventBus
{
    private readonly EventBusOptions _options;
    private readonly PartitionWorker[] _workers;
    private readonly Func<EventEnvelope, string?>? _orderingKey;

    // Set only in strict catalogue mode, so the publish path pays one null check otherwise.
    private readonly EventCatalog? _strictCatalog;

    // The size limits every published event is checked against.
    private readonly EventLimits _limits;

    // Set only when a store is configured; events are written to it before the bus accepts them.
    private readonly EventStoreBinding? _store;

    // Cancelled when a stop passes its drain deadline; every handler receives its token. Never disposed,
    // because lanes may still read the token after the bus is disposed.
    private readonly CancellationTokenSource _handlerCancellation = new();

    public ChannelEventBus(EventBusOptions options, ILogger logger, TimeProvider timeProvider, EventCatalog? catalog = null, IMeterFactory? meterFactory = null, IEventStore? store = null, EventStoreOptions? storeOptions = null)
    {
        _store = store is null ? null : new EventStoreBinding(store, storeOptions ?? new EventStoreOptions(), logger);
        _options = options;
        _strictCatalog = options.StrictCatalog ? catalog ?? new EventCatalog() : null;
        Logger = logger;
        TimeProvider = timeProvider;
        _orderingKey = options.OrderingKey;
        _limits = options.Limits.Clone();
        Backlog = new BacklogGate(options.Capacity);
        HandlerCancellationToken = _handlerCancellation.Token;
        DefaultRetry = options.Retry;
        DefaultHandlerTimeout = options.HandlerTimeout;
        DeadLetterQueue = new DeadLetterQueue(this, options.DeadLetterCapacity, store is IDeadLetterStore deadLetterStore && (storeOptions?.StoreDeadLetters ?? true)
            ? new DeadLetterJournal(deadLetterStore, logger, DeadLetterJournal.BoundFor(options.DeadLetterCapacity))
            : null);
        Status = options.DeliveryStatusCapacity > 0 ? new DeliveryStatusLog(options.DeliveryStatusCapacity, timeProvider) : null;
        Metrics = new BusMetrics(this, meterFactory, catalog ?? _strictCatalog ?? new EventCatalog(), options.MetricEventTypeLimit);
        _workers = new PartitionWorker[options.WorkerCount];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new PartitionWorker(this);
        }
    }

    public TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal BacklogGate Backlog { get; }

    internal CancellationToken HandlerCancellationToken { get; }

    internal RetryPolicy DefaultRetry { get; }

    internal TimeSpan? DefaultHandlerTimeout { get; }

    internal DeadLetterQueue DeadLetterQueue { get; }

    /// <summary>Gets the delivery status log, or null when tracking is off (the hot path then pays one null check).</summary>
    internal DeliveryStatusLog? Status { get; }

    internal BusMetrics Metrics { get; }

    public IDeadLetterQueue DeadLetters => DeadLetterQueue;

    public IDeliveryStatusLog DeliveryStatus => (IDeliveryStatusLog?)Status ?? DisabledDeliveryStatusLog.Instance;

    internal int KeyHash(EventEnvelope envelope)
    {
        string? key = _orderingKey is null ? envelope.WorkflowId ?? envelope.CorrelationId : _orderingKey(envelope);
        return key is null ? envelope.Id.GetHashCode() : key.GetHashCode(StringComparison.Ordinal);
    }

    private PartitionWorker WorkerFor(int keyHash) => _workers.Length == 1 ? _workers[0] : _workers[(uint)keyHash % (uint)_workers.Length];
}
