namespace EventBus;

/// <summary>Publishes events. The real bus and the test fakes implement it alike, so code under test cannot tell them apart.</summary>
public interface IEventPublisher
{
    /// <summary>
    /// Gets the clock publishers should stamp envelopes with, so that events and the bus agree on time.
    /// </summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Accepts an event for asynchronous delivery to every matching subscription.</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="cancellationToken">Cancels a wait for room when the bus is full in <see cref="BusFullMode.Wait"/> mode.</param>
    /// <returns>A task that completes when the event has been accepted (not when it has been handled).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> is null.</exception>
    /// <exception cref="EventBusFullException">The bus is full and its mode is <see cref="BusFullMode.Reject"/>.</exception>
    /// <exception cref="EventBusStoppedException">The bus is stopping or stopped.</exception>
    ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default);

    /// <summary>Accepts an event without waiting.</summary>
    /// <param name="envelope">The event.</param>
    /// <returns><see langword="true"/> when the event was accepted; <see langword="false"/> when the bus was full and the event was not queued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> is null.</exception>
    /// <exception cref="EventBusStoppedException">The bus is stopping or stopped.</exception>
    bool TryPublish(EventEnvelope envelope);

    /// <summary>
    /// Accepts many events in one call, as one batch with a new id that every event carries in its
    /// <see cref="EventMetadataKeys.BatchId"/> metadata (the events keep their own ids). The whole batch is validated
    /// before any event is accepted; events of one ordering key keep their order within the batch.
    /// </summary>
    /// <param name="envelopes">The events.</param>
    /// <param name="cancellationToken">Cancels a wait for room.</param>
    /// <returns>The batch's id, its size and how many events were accepted, once every event has been accepted or dropped.</returns>
    /// <exception cref="ArgumentException">The batch is null or contains a null event.</exception>
    /// <exception cref="EventBusFullException">The bus cannot take the whole batch and its mode is <see cref="BusFullMode.Reject"/>; none of the batch was accepted.</exception>
    ValueTask<BatchPublishResult> PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes an event and waits until every matching subscription has finished with it.
    /// </summary>
    /// <param name="envelope">The event.</param>
    /// <param name="cancellationToken">Stops waiting; the event stays accepted and is still delivered.</param>
    /// <returns>A report naming each subscription that handled the event, failed, or did not get it.</returns>
    ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default);
}
