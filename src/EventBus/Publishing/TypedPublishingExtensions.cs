namespace EventBus;

/// <summary>
/// Publishes plain objects: the envelope is built for the payload, its event type, kind, priority and schema version
/// from the payload's type (<see cref="EventTypeDescriptor.For(Type)"/>: its <see cref="EventTypeAttribute"/>, or the
/// naming convention), its id and time from the publisher's clock. Through an <see cref="IHandlerContext"/> the new event
/// is an effect of the handled one (<see cref="EventBuilder.CausedBy"/>). <c>configure</c> sets any other envelope field
/// and runs last, so it can override these.
/// </summary>
public static class TypedPublishingExtensions
{
    /// <summary>Publishes <paramref name="payload"/> as an event; see <see cref="IEventPublisher.PublishAsync"/>.</summary>
    /// <typeparam name="TPayload">The payload type; the event type comes from the payload's runtime type.</typeparam>
    /// <param name="publisher">The bus, or a handler's context.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="configure">Sets envelope fields (workflow, correlation, target, expiry, metadata...), or null.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the bus.</param>
    /// <returns>A task that completes when the bus has accepted the event.</returns>
    public static ValueTask PublishAsync<TPayload>(this IEventPublisher publisher, TPayload payload, Action<EventBuilder>? configure = null, CancellationToken cancellationToken = default)
        where TPayload : notnull =>
        publisher.PublishAsync(publisher.CreateEvent(payload, configure), cancellationToken);

    /// <summary>Publishes <paramref name="payload"/> as an event; see <see cref="IEventPublisher.PublishAsync"/>.</summary>
    /// <typeparam name="TPayload">The payload type; the event type comes from the payload's runtime type.</typeparam>
    /// <param name="publisher">The bus, or a handler's context.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the bus.</param>
    /// <returns>A task that completes when the bus has accepted the event.</returns>
    public static ValueTask PublishAsync<TPayload>(this IEventPublisher publisher, TPayload payload, CancellationToken cancellationToken)
        where TPayload : notnull =>
        publisher.PublishAsync(publisher.CreateEvent(payload, configure: null), cancellationToken);

    /// <summary>Publishes <paramref name="payload"/> and waits until every matching handler has finished; see <see cref="IEventPublisher.PublishAndWaitAsync"/>.</summary>
    /// <typeparam name="TPayload">The payload type; the event type comes from the payload's runtime type.</typeparam>
    /// <param name="publisher">The bus, or a handler's context.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="configure">Sets envelope fields, or null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>What each handler did.</returns>
    public static ValueTask<PublishReport> PublishAndWaitAsync<TPayload>(this IEventPublisher publisher, TPayload payload, Action<EventBuilder>? configure = null, CancellationToken cancellationToken = default)
        where TPayload : notnull =>
        publisher.PublishAndWaitAsync(publisher.CreateEvent(payload, configure), cancellationToken);

    /// <summary>Publishes <paramref name="payload"/> without waiting; see <see cref="IEventPublisher.TryPublish"/>.</summary>
    /// <typeparam name="TPayload">The payload type; the event type comes from the payload's runtime type.</typeparam>
    /// <param name="publisher">The bus, or a handler's context.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="configure">Sets envelope fields, or null.</param>
    /// <returns>Whether the bus accepted the event.</returns>
    public static bool TryPublish<TPayload>(this IEventPublisher publisher, TPayload payload, Action<EventBuilder>? configure = null)
        where TPayload : notnull =>
        publisher.TryPublish(publisher.CreateEvent(payload, configure));

    /// <summary>Publishes each payload as an event, in order; see <see cref="IEventPublisher.PublishBatchAsync"/>.</summary>
    /// <typeparam name="TPayload">The payloads' type; each event type comes from its payload's runtime type.</typeparam>
    /// <param name="publisher">The bus, or a handler's context.</param>
    /// <param name="payloads">The payloads.</param>
    /// <param name="configure">Sets envelope fields of each event, or null.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the bus.</param>
    /// <returns>How many events were accepted.</returns>
    public static ValueTask<BatchPublishResult> PublishBatchAsync<TPayload>(this IEventPublisher publisher, IEnumerable<TPayload> payloads, Action<EventBuilder>? configure = null, CancellationToken cancellationToken = default)
        where TPayload : notnull
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(payloads);
        List<EventEnvelope> envelopes = [];
        foreach (TPayload payload in payloads)
        {
            envelopes.Add(publisher.CreateEvent(payload, configure));
        }

        return publisher.PublishBatchAsync(envelopes, cancellationToken);
    }

    /// <summary>Builds the event that <see cref="PublishAsync{TPayload}(IEventPublisher, TPayload, Action{EventBuilder}?, CancellationToken)"/> would publish.</summary>
    /// <typeparam name="TPayload">The payload type; the event type comes from the payload's runtime type.</typeparam>
    /// <param name="publisher">The bus (its clock stamps the event), or a handler's context (the event is caused by the handled one).</param>
    /// <param name="payload">The payload.</param>
    /// <param name="configure">Sets envelope fields, or null.</param>
    /// <returns>The envelope.</returns>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is an envelope, or its type can not be named by convention.</exception>
    public static EventEnvelope CreateEvent<TPayload>(this IEventPublisher publisher, TPayload payload, Action<EventBuilder>? configure = null)
        where TPayload : notnull
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(payload);
        if (payload is EventEnvelope)
        {
            throw new ArgumentException("The payload is an EventEnvelope already; publish it with IEventPublisher.PublishAsync(EventEnvelope), which the typed overloads would wrap in another event.", nameof(payload));
        }

        EventTypeDescriptor descriptor = PayloadTypes.Of(payload);
        EventBuilder builder = new EventBuilder(descriptor.Type)
            .WithKind(descriptor.Kind)
            .WithPriority(descriptor.Priority)
            .WithSchemaVersion(descriptor.SchemaVersion)
            .WithData(payload);
        if (publisher is IHandlerContext handling)
        {
            builder.CausedBy(handling.Envelope);
        }

        configure?.Invoke(builder);
        return builder.Build(publisher.TimeProvider);
    }
}
