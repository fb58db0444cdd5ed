using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Publishes operation lifecycle events for one node type: <c>{node}.{operation}.started</c>, then
/// <c>.completed</c> or <c>.failed</c> through an <see cref="OperationScope"/>, plus <c>{node}.state.changed</c>
/// and <c>{node}.metric.recorded</c>. Inputs and results are summarised by field and type names only.
/// </summary>
/// <example>
/// <code>
/// await using (OperationScope scope = await operations.BeginAsync("routing", new { Route = "eu-1" }))
/// {
///     RouteResult result = await router.RouteAsync();
///     scope.Complete(result); // without Complete (or Fail), the scope reports the operation failed
/// }
/// </code>
/// </example>
public sealed class OperationEventPublisher
{
    private readonly PublisherCore _core;

    /// <summary>Initializes a new instance of the <see cref="OperationEventPublisher"/> class.</summary>
    /// <param name="publisher">The bus, or a test fake.</param>
    /// <param name="nodeType">The node type that prefixes every event type, such as <c>orchestrator</c>.</param>
    /// <param name="options">The source id (the node id) and best-effort policy, or null for the defaults.</param>
    /// <param name="logger">Logs best-effort failures, or null.</param>
    public OperationEventPublisher(IEventPublisher publisher, string nodeType, EventPublisherOptions? options = null, ILogger<OperationEventPublisher>? logger = null)
    {
        EventTypeName.ThrowIfInvalid(nodeType, nameof(nodeType));
        if (nodeType.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Node type '{nodeType}' holds a dot; use one segment such as 'orchestrator', because it prefixes every event type.", nameof(nodeType));
        }

        _core = new PublisherCore(publisher, options, logger);
        NodeType = nodeType;
    }

    /// <summary>Gets the node type that prefixes every event type.</summary>
    public string NodeType { get; }

    /// <summary>Gets the number of events not accepted in best-effort mode.</summary>
    public long BestEffortFailures => _core.Failures;

    internal PublisherCore Core => _core;

    /// <summary>Begins an operation without input: publishes <c>{node}.{operation}.started</c>.</summary>
    /// <param name="operation">The operation's name, one segment such as <c>routing</c>.</param>
    /// <returns>The scope; dispose it to publish the outcome.</returns>
    public ValueTask<OperationScope> BeginAsync(string operation) =>
        StartAsync(operation, PayloadSummary.Empty, null, CancellationToken.None);

    /// <summary>Begins an operation: publishes <c>{node}.{operation}.started</c> with a summary of <paramref name="input"/>.</summary>
    /// <typeparam name="TInput">The input's type; a dictionary is summarised by its keys, any other type by its public properties.</typeparam>
    /// <param name="operation">The operation's name, one segment such as <c>routing</c>.</param>
    /// <param name="input">The input; only its field names and type names are published.</param>
    /// <param name="correlationId">The id that ties the operation's events to a request, or null for a new one.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The scope; dispose it to publish the outcome.</returns>
    public ValueTask<OperationScope> BeginAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TInput>(
        string operation,
        TInput input,
        string? correlationId = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(operation, PayloadSummary.Of(input), correlationId, cancellationToken);

    /// <summary>Publishes <c>{node}.state.changed</c> with a <see cref="StateChanged"/> payload.</summary>
    /// <param name="oldState">The state left.</param>
    /// <param name="newState">The state entered.</param>
    /// <param name="reason">Why, or null.</param>
    /// <param name="correlationId">The correlation id, or null.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishStateChangedAsync(string oldState, string newState, string? reason = null, string? correlationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oldState);
        ArgumentException.ThrowIfNullOrWhiteSpace(newState);
        EventEnvelope envelope = _core.NewEvent(OperationEventTypes.StateChanged(NodeType), EventKind.Notification)
            .WithCorrelation(correlationId)
            .WithData(new StateChanged { OldState = oldState, NewState = newState, Reason = reason })
            .WithMetadata(EventMetadataKeys.NodeType, NodeType)
            .Build(_core.Time);
        return _core.PublishAsync(envelope, cancellationToken);
    }

    /// <summary>Publishes <c>{node}.metric.recorded</c> with a <see cref="MetricRecorded"/> payload.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="value">The measured value.</param>
    /// <param name="unit">The unit, or null.</param>
    /// <param name="tags">Dimensions, or null.</param>
    /// <param name="correlationId">The correlation id, or null.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishMetricAsync(
        string name,
        double value,
        string? unit = null,
        IReadOnlyDictionary<string, string>? tags = null,
        string? correlationId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Metric '{name}' has value {value}; record a finite number.");
        }

        IReadOnlyDictionary<string, string> copy = tags is null or { Count: 0 }
            ? PayloadSummary.Empty
            : new ReadOnlyDictionary<string, string>(tags.ToDictionary(StringComparer.Ordinal));
        EventEnvelope envelope = _core.NewEvent(OperationEventTypes.MetricRecorded(NodeType), EventKind.Notification)
            .WithCorrelation(correlationId)
            .WithData(new MetricRecorded { Name = name, Value = value, Unit = unit, Tags = copy })
            .WithMetadata(EventMetadataKeys.NodeType, NodeType)
            .Build(_core.Time);
        return _core.PublishAsync(envelope, cancellationToken);
    }

    internal EventBuilder NewLifecycleEvent(string operation, string stage, EventKind kind) =>
        _core.NewEvent(OperationEventTypes.Prefix(NodeType, operation) + "." + stage, kind)
            .WithMetadata(EventMetadataKeys.NodeType, NodeType)
            .WithMetadata(EventMetadataKeys.Operation, operation)
            .WithMetadata(EventMetadataKeys.LifecycleStage, stage);

    internal static string Milliseconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private async ValueTask<OperationScope> StartAsync(string operation, IReadOnlyDictionary<string, string> inputSummary, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        if (operation.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Operation '{operation}' holds a dot; use one segment such as 'routing' or 'state_snapshot'.", nameof(operation));
        }

        TimeProvider time = _core.Time;
        long startedTimestamp = time.GetTimestamp();
        DateTimeOffset now = time.GetUtcNow();
        EventEnvelope started = NewLifecycleEvent(operation, "started", EventKind.Notification)
            .WithCorrelation(correlationId ?? Guid.CreateVersion7(now).ToString())
            .WithData(new OperationStarted { Operation = operation, NodeId = _core.Source, StartedAt = now, InputSummary = inputSummary })
            .Build(time);
        PublishResult result = await _core.PublishAsync(started, cancellationToken).ConfigureAwait(false);
        return new OperationScope(this, operation, result, startedTimestamp);
    }
}
