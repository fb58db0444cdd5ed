namespace EventBus;

/// <summary>
/// The scoped <see cref="IHandlerContext"/>: the invoker sets the event before it resolves the handler, so a handler
/// can take the context in its constructor. Publishing goes to the bus unchanged; the typed publishing extensions see
/// this context and make the events they build effects of the handled one.
/// </summary>
internal sealed class HandlerContext(IEventPublisher bus, IServiceProvider services) : IHandlerContext
{
    private EventEnvelope? _envelope;
    private ISubscription? _subscription;

    /// <inheritdoc />
    public EventEnvelope Envelope => _envelope ?? throw NotHandling();

    /// <inheritdoc />
    public ISubscription Subscription => _subscription ?? throw NotHandling();

    /// <inheritdoc />
    public string SubscriberId => Subscription.SubscriberId;

    /// <inheritdoc />
    public IServiceProvider Services => services;

    /// <inheritdoc />
    public CancellationToken CancellationToken { get; private set; }

    /// <inheritdoc />
    public TimeProvider TimeProvider => bus.TimeProvider;

    /// <summary>Starts the handling of <paramref name="envelope"/> in this scope.</summary>
    public void Begin(EventEnvelope envelope, ISubscription subscription, CancellationToken cancellationToken)
    {
        _envelope = envelope;
        _subscription = subscription;
        CancellationToken = cancellationToken;
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default) => bus.PublishAsync(envelope, cancellationToken);

    /// <inheritdoc />
    public bool TryPublish(EventEnvelope envelope) => bus.TryPublish(envelope);

    /// <inheritdoc />
    public ValueTask<BatchPublishResult> PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default) =>
        bus.PublishBatchAsync(envelopes, cancellationToken);

    /// <inheritdoc />
    public ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default) =>
        bus.PublishAndWaitAsync(envelope, cancellationToken);

    private static InvalidOperationException NotHandling() =>
        new("IHandlerContext describes the event being handled, and this DI scope is not handling one. Take it in a handler or middleware registered with the event bus builder (AddPayloadHandler, AddEventHandler, AddEventHandlers).");
}
