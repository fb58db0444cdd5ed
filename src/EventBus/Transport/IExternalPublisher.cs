namespace EventBus;

/// <summary>
/// Carries events out of the process: to a broker, another service, a log. Register one with
/// <see cref="ExternalPublishingBuilderExtensions.AddExternalPublisher"/> and bind it to event types or patterns; the bus
/// then hands it every matching event published in this process, never one that arrived from outside (no loops).
/// </summary>
public interface IExternalPublisher : IAsyncDisposable
{
    /// <summary>Gets the publisher's name, such as <c>rabbitmq</c>; it names the relay's subscription, logs and metrics.</summary>
    string Name { get; }

    /// <summary>Sends one event; the task completes once the external system has it (for a broker: confirmed).</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="cancellationToken">Stops waiting; whether the event arrived is then unknown.</param>
    /// <returns>A task that completes when the event was taken.</returns>
    ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends several events, pipelined; the task completes once the external system has every one. Both outboxes call it
    /// again before the previous batch completed: batches must reach the external system in call order. An event that can
    /// never be sent refuses the whole batch with <see cref="ArgumentException"/> before any of it is sent; the relay then
    /// sends the batch event by event, so that only that event is dead-lettered.
    /// </summary>
    /// <param name="envelopes">The events, in order.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when every event was taken.</returns>
    ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default);

    /// <summary>Waits until everything sent so far was taken.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when nothing is in flight.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
