namespace EventBus;

/// <summary>
/// The in-process event bus: publishing, subscribing and the bus's own lifecycle. Register it with
/// <c>services.AddEventBus()</c>, or create one with <see cref="EventBusFactory.Create"/>.
/// </summary>
public interface IEventBus : IEventPublisher, IEventSubscriber, IAsyncDisposable
{
    /// <summary>Gets the bus's state.</summary>
    EventBusState State { get; }

    /// <summary>
    /// Starts dispatching, including events published before the start. With a store that keeps dead letters
    /// (<see cref="IDeadLetterStore"/>), the dead letters saved by earlier runs are read back first, so the task completes
    /// once they are in <see cref="DeadLetters"/> and the workers run. Starting a running bus does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels reading the stored dead letters; the bus then stays created, not running.</param>
    /// <returns>A task that completes when the bus is running.</returns>
    /// <exception cref="InvalidOperationException">The bus was stopped; a stopped bus can not restart.</exception>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Refuses new events and waits until every event accepted before the call has been handled, or until
    /// <see cref="EventBusOptions.DrainTimeout"/> passes or <paramref name="cancellationToken"/> is cancelled; then cancels
    /// the handlers' tokens and reports what was left unhandled. Safe to call more than once.
    /// </summary>
    /// <param name="cancellationToken">Ends the drain early.</param>
    /// <returns>What the drain left undone.</returns>
    Task<DrainReport> StopAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the bus is idle: every accepted event, including events that handlers publish in turn, has
    /// been handled, failed, dropped or discarded. Driven by the bus's own accounting, never by a timer.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the bus is idle.</returns>
    Task WaitForIdleAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Occurs after a subscription was added or removed (not paused or resumed), on the thread that changed it; read
    /// <see cref="IEventSubscriber.Subscriptions"/> for the new set. A transport uses it to keep its broker bindings in step.
    /// </summary>
    event EventHandler? SubscriptionsChanged;

    /// <summary>Gets the dead-letter queue: events subscriptions gave up on after their last attempt, or that expired.</summary>
    IDeadLetterQueue DeadLetters { get; }

    /// <summary>Gets the delivery status of recent events (enable it with <see cref="EventBusOptions.DeliveryStatusCapacity"/>).</summary>
    IDeliveryStatusLog DeliveryStatus { get; }

    /// <summary>Takes a snapshot of the bus's counters, queue depths and per-subscription lag and handler durations.</summary>
    /// <returns>The snapshot.</returns>
    EventBusStatistics GetStatistics();

    /// <summary>Evaluates the bus's health against <paramref name="thresholds"/>.</summary>
    /// <param name="thresholds">The thresholds, or null for the defaults.</param>
    /// <returns>The report.</returns>
    EventBusHealthReport GetHealth(EventBusHealthOptions? thresholds = null);
}
