namespace EventBus.Testing;

/// <summary>
/// Decorates the real bus: records every published event in order and every handler invocation with its outcome,
/// and otherwise behaves exactly like the bus it wraps (handler exceptions still reach the bus's own accounting).
/// </summary>
internal sealed class RecordingEventBus(IEventBus inner) : IEventBus
{
    private readonly List<HandledEvent> _handled = [];

    public RecordedEvents Published { get; } = new();

    public IReadOnlyList<HandledEvent> Handled
    {
        get
        {
            lock (_handled)
            {
                return [.. _handled];
            }
        }
    }

    public TimeProvider TimeProvider => inner.TimeProvider;

    public EventBusState State => inner.State;

    public IReadOnlyList<ISubscription> Subscriptions => inner.Subscriptions;

    public event EventHandler? SubscriptionsChanged
    {
        add => inner.SubscriptionsChanged += value;
        remove => inner.SubscriptionsChanged -= value;
    }

    // Each publish takes its place in the record before the bus sees the event, because handlers may publish in turn
    // and their events must come after it; the place is filled once the bus accepted the event, and stays empty if
    // the bus refused it.
    public async ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        RecordedEvents.Place[] place = Published.Reserve(1);
        await inner.PublishAsync(envelope, cancellationToken).ConfigureAwait(false);
        RecordedEvents.Fill(place, [envelope]);
    }

    public bool TryPublish(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        RecordedEvents.Place[] place = Published.Reserve(1);
        bool accepted = inner.TryPublish(envelope);
        if (accepted)
        {
            RecordedEvents.Fill(place, [envelope]);
        }

        return accepted;
    }

    public async ValueTask<BatchPublishResult> PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        RecordedEvents.Place[] places = Published.Reserve(envelopes.Count);
        BatchPublishResult result = await inner.PublishBatchAsync(envelopes, cancellationToken).ConfigureAwait(false);
        RecordedEvents.Fill(places, result.Events);
        return result;
    }

    public async ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);

        // Filled before the wait, since the event was accepted once handlers can see it; left empty when the bus
        // refuses it (its checks: size limits, a strict catalogue) or drops it.
        RecordedEvents.Place[] place = Published.Reserve(1);
        RecordedEvents.Fill(place, [envelope]);
        try
        {
            return await inner.PublishAndWaitAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ArgumentException or EventBusFullException or EventBusStoppedException)
        {
            RecordedEvents.Vacate(place);
            throw;
        }
    }

    public ISubscription Subscribe(EventFilter filter, Func<EventEnvelope, CancellationToken, ValueTask> handler, SubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ISubscription? subscription = null;
        subscription = inner.Subscribe(filter, async (envelope, cancellationToken) =>
        {
            try
            {
                await handler(envelope, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Record(new HandledEvent(() => Volatile.Read(ref subscription), envelope, exception));
                throw;
            }

            Record(new HandledEvent(() => Volatile.Read(ref subscription), envelope, null));
        }, options);
        return subscription;
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task<DrainReport> StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task WaitForIdleAsync(CancellationToken cancellationToken = default) => inner.WaitForIdleAsync(cancellationToken);

    public IDeadLetterQueue DeadLetters => inner.DeadLetters;

    public IDeliveryStatusLog DeliveryStatus => inner.DeliveryStatus;

    public EventBusStatistics GetStatistics() => inner.GetStatistics();

    public EventBusHealthReport GetHealth(EventBusHealthOptions? thresholds = null) => inner.GetHealth(thresholds);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Record(HandledEvent handled)
    {
        lock (_handled)
        {
            _handled.Add(handled);
        }
    }
}
