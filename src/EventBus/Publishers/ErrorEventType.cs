namespace EventBus;

/// <summary>The error events of a workflow, published with severity, recovery-attempted and escalation-level metadata.</summary>
public enum ErrorEventType
{
    /// <summary>A recoverable error occurred (error.recoverable); escalation level 1.</summary>
    Recoverable = 0,

    /// <summary>A critical error requires intervention (error.critical); escalation level 2; published at critical priority.</summary>
    Critical = 1,

    /// <summary>An error condition was resolved (error.resolved); escalation level 0.</summary>
    Resolved = 2,

    /// <summary>An error was escalated to a higher level (error.escalated); escalation level 3; published at high priority.</summary>
    Escalated = 3,
}
