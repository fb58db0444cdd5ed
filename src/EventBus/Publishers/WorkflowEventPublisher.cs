using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Publishes the standard workflow, phase, resource and error events with one call each. Every event
/// carries the workflow id (its ordering key, so subscribers see a workflow's events in order) and uses it as
/// correlation id; its causation id is the event that began the workflow, or, within a phase, the phase's
/// <c>phase.started</c> event. Resource and error events carry the workflow's current phase.
/// </summary>
/// <example>
/// <code>
/// await workflows.PublishWorkflowAsync("order-42", WorkflowEventType.Started);
/// await workflows.PublishPhaseAsync("order-42", "payment", PhaseEventType.Started);
/// await workflows.PublishResourceAsync("order-42", ResourceEventType.Allocated, new { Slots = 2 }); // phase "payment"
/// </code>
/// </example>
public sealed class WorkflowEventPublisher
{
    private readonly PublisherCore _core;
    private readonly WorkflowTracker _tracker;

    /// <summary>Initializes a new instance of the <see cref="WorkflowEventPublisher"/> class.</summary>
    /// <param name="publisher">The bus, or a test fake.</param>
    /// <param name="options">The source id and best-effort policy, or null for the defaults.</param>
    /// <param name="logger">Logs best-effort failures and the first forgotten workflow, or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EventPublisherOptions.MaxTrackedWorkflows"/> is below 1.</exception>
    public WorkflowEventPublisher(IEventPublisher publisher, EventPublisherOptions? options = null, ILogger<WorkflowEventPublisher>? logger = null)
    {
        _core = new PublisherCore(publisher, options, logger);
        int capacity = options?.MaxTrackedWorkflows ?? new EventPublisherOptions().MaxTrackedWorkflows;
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), capacity, $"EventPublisherOptions.MaxTrackedWorkflows is {capacity}; it must be at least 1 (the default is 10,000).");
        }

        _tracker = new WorkflowTracker(capacity, workflowId => Log.WorkflowsEvicted(_core.Logger, capacity, Display.Escape(workflowId)));
    }

    /// <summary>Gets the number of events not accepted in best-effort mode.</summary>
    public long BestEffortFailures => _core.Failures;

    /// <summary>Gets the number of workflows being tracked (begun, and not yet completed, failed or cancelled).</summary>
    public int TrackedWorkflows => _tracker.Count;

    /// <summary>Gets how many workflows were forgotten unfinished because more than <see cref="EventPublisherOptions.MaxTrackedWorkflows"/> were live.</summary>
    public long EvictedWorkflows => _tracker.Evicted;

    /// <summary>Gets the workflow's current phase: the phase of the last phase event published for it.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <returns>The phase, or null when no phase event was published for a live workflow of that id.</returns>
    public string? GetCurrentPhase(string workflowId)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        return _tracker.CurrentPhase(workflowId);
    }

    /// <summary>Publishes <c>workflow.{created|started|paused|resumed|completed|failed|cancelled}</c>.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="eventType">Which workflow event.</param>
    /// <param name="data">The payload, or null.</param>
    /// <param name="causedBy">The event that caused this one; by default the event that began the workflow.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishWorkflowAsync(
        string workflowId,
        WorkflowEventType eventType,
        object? data = null,
        EventEnvelope? causedBy = null,
        CancellationToken cancellationToken = default)
    {
        string type = eventType switch
        {
            WorkflowEventType.Created => StandardEventTypes.WorkflowCreated,
            WorkflowEventType.Started => StandardEventTypes.WorkflowStarted,
            WorkflowEventType.Paused => StandardEventTypes.WorkflowPaused,
            WorkflowEventType.Resumed => StandardEventTypes.WorkflowResumed,
            WorkflowEventType.Completed => StandardEventTypes.WorkflowCompleted,
            WorkflowEventType.Failed => StandardEventTypes.WorkflowFailed,
            WorkflowEventType.Cancelled => StandardEventTypes.WorkflowCancelled,
            _ => throw Undefined(nameof(eventType), eventType),
        };
        EventEnvelope envelope = NewEvent(type, workflowId, phase: null, causedBy?.Id ?? _tracker.CauseFor(workflowId, null), EventKind.Notification)
            .WithData(data)
            .Build(_core.Time);
        _tracker.OnWorkflowEvent(envelope, eventType);
        return _core.PublishAsync(envelope, cancellationToken);
    }

    /// <summary>Publishes <c>phase.{started|progress|completed|failed|skipped}</c> and makes <paramref name="phase"/> the workflow's current phase.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="phase">The phase.</param>
    /// <param name="eventType">Which phase event.</param>
    /// <param name="data">The payload, or null.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishPhaseAsync(
        string workflowId,
        string phase,
        PhaseEventType eventType,
        object? data = null,
        CancellationToken cancellationToken = default) =>
        _core.PublishAsync(BuildPhaseEvent(workflowId, phase, eventType, data), cancellationToken);

    /// <summary>Publishes <c>phase.progress</c> with a <see cref="PhaseProgress"/> payload.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="phase">The phase.</param>
    /// <param name="percent">How far the phase is, from 0 to 100.</param>
    /// <param name="message">An optional note.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishProgressAsync(
        string workflowId,
        string phase,
        double percent,
        string? message = null,
        CancellationToken cancellationToken = default) =>
        PublishPhaseAsync(workflowId, phase, PhaseEventType.Progress, ValidProgress(new PhaseProgress(phase, percent) { Message = message }), cancellationToken);

    /// <summary>
    /// Publishes one <c>phase.progress</c> event per entry as a single batch:
    /// the whole batch is validated first, then accepted in order.
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="progress">One entry per phase update.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>One result per entry, in order.</returns>
    public ValueTask<IReadOnlyList<PublishResult>> PublishProgressBatchAsync(
        string workflowId,
        IReadOnlyList<PhaseProgress> progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Count == 0)
        {
            throw new ArgumentException("The progress batch is empty; pass at least one PhaseProgress.", nameof(progress));
        }

        foreach (PhaseProgress entry in progress)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(progress));
            ValidProgress(entry);
        }

        EventEnvelope[] envelopes = new EventEnvelope[progress.Count];
        for (int i = 0; i < envelopes.Length; i++)
        {
            envelopes[i] = BuildPhaseEvent(workflowId, progress[i].Phase, PhaseEventType.Progress, progress[i]);
        }

        return _core.PublishBatchAsync(envelopes, cancellationToken);
    }

    /// <summary>Publishes <c>resource.{requested|allocated|released|insufficient|conflict}</c> in the workflow's current phase.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="eventType">Which resource event.</param>
    /// <param name="data">The payload, or null.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishResourceAsync(
        string workflowId,
        ResourceEventType eventType,
        object? data = null,
        CancellationToken cancellationToken = default)
    {
        string type = eventType switch
        {
            ResourceEventType.Requested => StandardEventTypes.ResourceRequested,
            ResourceEventType.Allocated => StandardEventTypes.ResourceAllocated,
            ResourceEventType.Released => StandardEventTypes.ResourceReleased,
            ResourceEventType.Insufficient => StandardEventTypes.ResourceInsufficient,
            ResourceEventType.Conflict => StandardEventTypes.ResourceConflict,
            _ => throw Undefined(nameof(eventType), eventType),
        };
        string? phase = CurrentPhaseOf(workflowId);
        EventEnvelope envelope = NewEvent(type, workflowId, phase, _tracker.CauseFor(workflowId, phase), EventKind.Notification)
            .WithData(data)
            .Build(_core.Time);
        return _core.PublishAsync(envelope, cancellationToken);
    }

    /// <summary>
    /// Publishes <c>error.{recoverable|critical|resolved|escalated}</c> of kind <see cref="EventKind.Error"/> in the
    /// workflow's current phase, with <see cref="EventMetadataKeys.Severity"/>, <see cref="EventMetadataKeys.RecoveryAttempted"/>
    /// and <see cref="EventMetadataKeys.EscalationLevel"/> metadata (see <see cref="ErrorEventType"/> for levels and priorities).
    /// </summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="eventType">Which error event.</param>
    /// <param name="data">The payload, or null.</param>
    /// <param name="recoveryAttempted">Whether recovery was attempted; by default, whether a recoverable error was published for the workflow before.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>The event and whether it was accepted.</returns>
    public ValueTask<PublishResult> PublishErrorAsync(
        string workflowId,
        ErrorEventType eventType,
        object? data = null,
        bool? recoveryAttempted = null,
        CancellationToken cancellationToken = default)
    {
        (string type, string severity, int level, EventPriority priority) = eventType switch
        {
            ErrorEventType.Recoverable => (StandardEventTypes.ErrorRecoverable, "recoverable", 1, EventPriority.Normal),
            ErrorEventType.Critical => (StandardEventTypes.ErrorCritical, "critical", 2, EventPriority.Critical),
            ErrorEventType.Resolved => (StandardEventTypes.ErrorResolved, "resolved", 0, EventPriority.Normal),
            ErrorEventType.Escalated => (StandardEventTypes.ErrorEscalated, "escalated", 3, EventPriority.High),
            _ => throw Undefined(nameof(eventType), eventType),
        };
        string? phase = CurrentPhaseOf(workflowId);
        bool attempted = recoveryAttempted ?? _tracker.RecoveryAttempted(workflowId);
        EventEnvelope envelope = NewEvent(type, workflowId, phase, _tracker.CauseFor(workflowId, phase), EventKind.Error)
            .WithPriority(priority)
            .WithData(data)
            .WithMetadata(EventMetadataKeys.Severity, severity)
            .WithMetadata(EventMetadataKeys.RecoveryAttempted, attempted ? "true" : "false")
            .WithMetadata(EventMetadataKeys.EscalationLevel, level.ToString(CultureInfo.InvariantCulture))
            .Build(_core.Time);
        if (eventType == ErrorEventType.Recoverable)
        {
            _tracker.OnRecoverableError(workflowId);
        }

        return _core.PublishAsync(envelope, cancellationToken);
    }

    private static ArgumentOutOfRangeException Undefined<T>(string name, T value)
        where T : struct, Enum =>
        new(name, value, $"{typeof(T).Name} {Convert.ToInt32(value, CultureInfo.InvariantCulture)} is not defined; use one of {string.Join(", ", Enum.GetNames<T>())}.");

    private static PhaseProgress ValidProgress(PhaseProgress progress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(progress.Phase, "progress.Phase");
        if (!(progress.Percent is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(progress), progress.Percent, $"Progress of phase '{progress.Phase}' is {progress.Percent}%; pass a percentage from 0 to 100.");
        }

        return progress;
    }

    private EventEnvelope BuildPhaseEvent(string workflowId, string phase, PhaseEventType eventType, object? data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phase);
        string type = eventType switch
        {
            PhaseEventType.Started => StandardEventTypes.PhaseStarted,
            PhaseEventType.Progress => StandardEventTypes.PhaseProgress,
            PhaseEventType.Completed => StandardEventTypes.PhaseCompleted,
            PhaseEventType.Failed => StandardEventTypes.PhaseFailed,
            PhaseEventType.Skipped => StandardEventTypes.PhaseSkipped,
            _ => throw Undefined(nameof(eventType), eventType),
        };

        // A phase's start is caused by the workflow's beginning; its later events by its start.
        Guid? cause = _tracker.CauseFor(workflowId, eventType == PhaseEventType.Started ? null : phase);
        EventEnvelope envelope = NewEvent(type, workflowId, phase, cause, EventKind.Notification).WithData(data).Build(_core.Time);
        _tracker.OnPhaseEvent(envelope, eventType);
        return envelope;
    }

    private string? CurrentPhaseOf(string workflowId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return _tracker.CurrentPhase(workflowId);
    }

    private EventBuilder NewEvent(string type, string workflowId, string? phase, Guid? causationId, EventKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return _core.NewEvent(type, kind).WithWorkflow(workflowId, phase).WithCorrelation(workflowId).WithCausation(causationId);
    }
}
