namespace EventBus;

/// <summary>
/// The standard event type names of workflow coordination and of reported errors. The
/// <see cref="EventCatalog"/> registers all of them out of the box.
/// </summary>
public static class StandardEventTypes
{
    /// <summary>A new workflow was initiated.</summary>
    public const string WorkflowCreated = "workflow.created";

    /// <summary>A workflow's execution began.</summary>
    public const string WorkflowStarted = "workflow.started";

    /// <summary>A workflow was temporarily halted.</summary>
    public const string WorkflowPaused = "workflow.paused";

    /// <summary>A workflow's execution resumed.</summary>
    public const string WorkflowResumed = "workflow.resumed";

    /// <summary>A workflow finished successfully.</summary>
    public const string WorkflowCompleted = "workflow.completed";

    /// <summary>A workflow terminated with errors.</summary>
    public const string WorkflowFailed = "workflow.failed";

    /// <summary>A workflow was cancelled by a user or the system.</summary>
    public const string WorkflowCancelled = "workflow.cancelled";

    /// <summary>A phase's execution began.</summary>
    public const string PhaseStarted = "phase.started";

    /// <summary>Progress within a phase.</summary>
    public const string PhaseProgress = "phase.progress";

    /// <summary>A phase finished successfully.</summary>
    public const string PhaseCompleted = "phase.completed";

    /// <summary>A phase terminated with errors.</summary>
    public const string PhaseFailed = "phase.failed";

    /// <summary>A phase was skipped because of conditions.</summary>
    public const string PhaseSkipped = "phase.skipped";

    /// <summary>A resource allocation was requested.</summary>
    public const string ResourceRequested = "resource.requested";

    /// <summary>Resources were allocated.</summary>
    public const string ResourceAllocated = "resource.allocated";

    /// <summary>Resources were freed.</summary>
    public const string ResourceReleased = "resource.released";

    /// <summary>Not enough resources were available.</summary>
    public const string ResourceInsufficient = "resource.insufficient";

    /// <summary>A resource allocation conflict was detected.</summary>
    public const string ResourceConflict = "resource.conflict";

    /// <summary>A recoverable error occurred.</summary>
    public const string ErrorRecoverable = "error.recoverable";

    /// <summary>A critical error requires intervention.</summary>
    public const string ErrorCritical = "error.critical";

    /// <summary>An error condition was resolved.</summary>
    public const string ErrorResolved = "error.resolved";

    /// <summary>An error was escalated to a higher level.</summary>
    public const string ErrorEscalated = "error.escalated";

    /// <summary>An error reported by a component with a code and message.</summary>
    public const string ErrorReported = "error.reported";

    /// <summary>Gets every standard type with its category and description.</summary>
    internal static IEnumerable<EventTypeDescriptor> Descriptors()
    {
        yield return new(WorkflowCreated, "New workflow initiated", "workflow");
        yield return new(WorkflowStarted, "Workflow execution began", "workflow");
        yield return new(WorkflowPaused, "Workflow temporarily halted", "workflow");
        yield return new(WorkflowResumed, "Workflow execution resumed", "workflow");
        yield return new(WorkflowCompleted, "Workflow finished successfully", "workflow");
        yield return new(WorkflowFailed, "Workflow terminated with errors", "workflow");
        yield return new(WorkflowCancelled, "Workflow cancelled by user or system", "workflow");
        yield return new(PhaseStarted, "Phase execution began", "phase");
        yield return new(PhaseProgress, "Progress update within phase", "phase");
        yield return new(PhaseCompleted, "Phase finished successfully", "phase");
        yield return new(PhaseFailed, "Phase terminated with errors", "phase");
        yield return new(PhaseSkipped, "Phase skipped due to conditions", "phase");
        yield return new(ResourceRequested, "Resource allocation requested", "resource");
        yield return new(ResourceAllocated, "Resources allocated successfully", "resource");
        yield return new(ResourceReleased, "Resources freed or deallocated", "resource");
        yield return new(ResourceInsufficient, "Insufficient resources available", "resource");
        yield return new(ResourceConflict, "Resource allocation conflict detected", "resource");
        yield return new(ErrorRecoverable, "Recoverable error occurred", "error");
        yield return new(ErrorCritical, "Critical error requiring intervention", "error");
        yield return new(ErrorResolved, "Error condition resolved", "error");
        yield return new(ErrorEscalated, "Error escalated to higher level", "error");
        yield return new(ErrorReported, "Error reported with a code, a message and the event that caused it", "error", typeof(ErrorDetails));
    }
}
