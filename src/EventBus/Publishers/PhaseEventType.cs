namespace EventBus;

/// <summary>The phase events of a workflow.</summary>
public enum PhaseEventType
{
    /// <summary>The phase began (phase.started).</summary>
    Started = 0,

    /// <summary>Progress within the phase (phase.progress).</summary>
    Progress = 1,

    /// <summary>The phase finished successfully (phase.completed).</summary>
    Completed = 2,

    /// <summary>The phase terminated with errors (phase.failed).</summary>
    Failed = 3,

    /// <summary>The phase was skipped because of conditions (phase.skipped).</summary>
    Skipped = 4,
}
