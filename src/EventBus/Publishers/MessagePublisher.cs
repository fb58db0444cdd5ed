using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Publishes messages with one call each: commands, notifications, queries, responses and errors.
/// Each sets the <see cref="EventKind"/> and the publisher's source id. The event's type is the command, notification
/// or query name; a response's type is the query's type followed by <c>.response</c>.
/// </summary>
/// <remarks>To send a query and await its response, use <see cref="QueryClient"/>.</remarks>
public sealed class MessagePublisher
{
    /// <summary>The suffix appended to a query's type to name its response.</summary>
    public const string ResponseSuffix = ".response";

    private readonly PublisherCore _core;

    /// <summary>Initializes a new instance of the <see cref="MessagePublisher"/> class.</summary>
    /// <param name="publisher">The bus, or a test fake.</param>
    /// <param name="options">The source id and best-effort policy, or null for the defaults.</param>
    /// <param name="logger">Logs best-effort failures, or null.</param>
    public MessagePublisher(IEventPublisher publisher, EventPublisherOptions? options = null, ILogger<MessagePublisher>? logger = null) =>
        _core = new PublisherCore(publisher, options, logger);

    /// <summary>Gets the source id stamped on every event.</summary>
    public string Source => _core.Source;

    /// <summary>Gets the number of events not accepted in best-effort mode.</summary>
    public long BestEffortFailures => _core.Failures;

    /// <summary>Publishes a <see cref="EventKind.Command"/>: a directive to <paramref name="target"/> to perform an action.</summary>
    /// <param name="commandName">The command, used as the event type, such as <c>inventory.reserve</c>.</param>
    /// <param name="parameters">The command's parameters (the payload), or null.</param>
    /// <param name="target">The receiver's id, or null for any handler.</param>
    /// <param name="priority">The priority.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishCommandAsync(
        string commandName,
        object? parameters = null,
        string? target = null,
        EventPriority priority = EventPriority.Normal,
        CancellationToken cancellationToken = default) =>
        _core.PublishAsync(
            _core.NewEvent(commandName, EventKind.Command).WithTarget(target).WithPriority(priority).WithData(parameters).Build(_core.Time),
            cancellationToken);

    /// <summary>Publishes a <see cref="EventKind.Notification"/>: information about something that happened.</summary>
    /// <param name="notificationName">The notification, used as the event type.</param>
    /// <param name="data">The payload, or null.</param>
    /// <param name="priority">The priority.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishNotificationAsync(
        string notificationName,
        object? data = null,
        EventPriority priority = EventPriority.Normal,
        CancellationToken cancellationToken = default) =>
        _core.PublishAsync(
            _core.NewEvent(notificationName, EventKind.Notification).WithPriority(priority).WithData(data).Build(_core.Time),
            cancellationToken);

    /// <summary>
    /// Publishes a <see cref="EventKind.Query"/> without waiting for its response. Its correlation id is
    /// <paramref name="correlationId"/>, or a new id that its response will share.
    /// </summary>
    /// <param name="queryName">The query, used as the event type.</param>
    /// <param name="parameters">The query's parameters, or null.</param>
    /// <param name="target">The receiver's id, or null for any responder.</param>
    /// <param name="correlationId">The conversation's id, or null for a new one.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishQueryAsync(
        string queryName,
        object? parameters = null,
        string? target = null,
        string? correlationId = null,
        CancellationToken cancellationToken = default) =>
        _core.PublishAsync(BuildQuery(queryName, parameters, target, correlationId, expiresAt: null), cancellationToken);

    /// <summary>
    /// Publishes the <see cref="EventKind.Response"/> to <paramref name="query"/>: its type is the query's type plus
    /// <see cref="ResponseSuffix"/>, its causation id is the query's id, its correlation id and workflow are the query's,
    /// its target is the query's source, and <see cref="EventMetadataKeys.Success"/> carries <paramref name="isSuccess"/>.
    /// </summary>
    /// <param name="query">The query being answered.</param>
    /// <param name="responseData">The answer, or the <see cref="ErrorDetails"/> of a failure.</param>
    /// <param name="isSuccess">Whether the query succeeded.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not of kind <see cref="EventKind.Query"/>.</exception>
    public ValueTask<PublishResult> PublishResponseAsync(
        EventEnvelope query,
        object? responseData,
        bool isSuccess = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Kind != EventKind.Query)
        {
            throw new ArgumentException($"Event '{query.Type}' ({query.Id}) is a {query.Kind}, not a Query; only queries get responses.", nameof(query));
        }

        EventEnvelope response = _core.NewEvent(query.Type + ResponseSuffix, EventKind.Response)
            .CausedBy(query)
            .WithTarget(query.Source)
            .WithPriority(query.Priority)
            .WithData(responseData)
            .WithMetadata(EventMetadataKeys.Success, isSuccess ? "true" : "false")
            .Build(_core.Time);
        return _core.PublishAsync(response, cancellationToken);
    }

    /// <summary>
    /// Publishes an <see cref="EventKind.Error"/> event (<c>error.reported</c>) with an <see cref="ErrorDetails"/> payload.
    /// When <paramref name="sourceEvent"/> is given, the error is caused by it and joins its correlation and workflow.
    /// </summary>
    /// <param name="errorCode">A stable, machine-readable code.</param>
    /// <param name="errorMessage">A human-readable description.</param>
    /// <param name="sourceEvent">The event whose handling failed, or null.</param>
    /// <param name="details">Further facts, or null.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishErrorAsync(
        string errorCode,
        string errorMessage,
        EventEnvelope? sourceEvent = null,
        IReadOnlyDictionary<string, object?>? details = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(errorMessage);
        EventBuilder builder = _core.NewEvent(StandardEventTypes.ErrorReported, EventKind.Error);
        if (sourceEvent is not null)
        {
            builder.CausedBy(sourceEvent);
        }

        EventEnvelope error = builder
            .WithPriority(EventPriority.High)
            .WithData(new ErrorDetails(errorCode, errorMessage) { SourceEventId = sourceEvent?.Id, Details = details })
            .WithMetadata(EventMetadataKeys.ErrorCode, errorCode)
            .Build(_core.Time);
        return _core.PublishAsync(error, cancellationToken);
    }

    internal EventEnvelope BuildQuery(string queryName, object? parameters, string? target, string? correlationId, DateTimeOffset? expiresAt)
    {
        EventBuilder builder = _core.NewEvent(queryName, EventKind.Query)
            .WithTarget(target)
            .WithData(parameters)
            .WithCorrelation(correlationId ?? Guid.CreateVersion7(_core.Time.GetUtcNow()).ToString());
        if (expiresAt is { } expiry)
        {
            builder.WithExpiry(expiry);
        }

        return builder.Build(_core.Time);
    }

    internal ValueTask<PublishResult> PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken) => _core.PublishAsync(envelope, cancellationToken);
}
