namespace EventBus;

/// <summary>The workflow lifecycle events.</summary>
public enum WorkflowEventType
{
    /// <summary>A new workflow was initiated (workflow.created).</summary>
    Created = 0,

    /// <summary>The workflow's execution began (workflow.started).</summary>
    Started = 1,

    /// <summary>The workflow was temporarily halted (workflow.paused).</summary>
    Paused = 2,

    /// <summary>The workflow's execution resumed (workflow.resumed).</summary>
    Resumed = 3,

    /// <summary>The workflow finished successfully (workflow.completed).</summary>
    Completed = 4,

    /// <summary>The workflow terminated with errors (workflow.failed).</summary>
    Failed = 5,

    /// <summary>The workflow was cancelled by a user or the system (workflow.cancelled).</summary>
    Cancelled = 6,
}
