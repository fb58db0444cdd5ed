namespace EventBus;

/// <summary>The metadata keys the typed publishers write, so that subscribers and filters can read them without magic strings.</summary>
public static class EventMetadataKeys
{
    /// <summary>An error event's severity: <c>recoverable</c>, <c>critical</c>, <c>resolved</c> or <c>escalated</c>.</summary>
    public const string Severity = "severity";

    /// <summary>Whether recovery of the workflow had been attempted before an error event: <c>true</c> or <c>false</c>.</summary>
    public const string RecoveryAttempted = "recovery_attempted";

    /// <summary>An error event's escalation level: 0 (resolved) to 3 (escalated).</summary>
    public const string EscalationLevel = "escalation_level";

    /// <summary>Whether a response reports success: <c>true</c> or <c>false</c>.</summary>
    public const string Success = "success";

    /// <summary>The code of a reported error.</summary>
    public const string ErrorCode = "error_code";

    /// <summary>The node type of an operation lifecycle event, such as <c>orchestrator</c>.</summary>
    public const string NodeType = "node_type";

    /// <summary>The operation of a lifecycle event, such as <c>routing</c>.</summary>
    public const string Operation = "operation";

    /// <summary>The stage of a lifecycle event: <c>started</c>, <c>completed</c> or <c>failed</c>.</summary>
    public const string LifecycleStage = "lifecycle_stage";

    /// <summary>How long an operation ran, in milliseconds, invariant culture.</summary>
    public const string ExecutionTimeMs = "execution_time_ms";

    /// <summary>The id of the batch an event was published in (<see cref="BatchPublishResult.BatchId"/>), in the <c>D</c> format.</summary>
    public const string BatchId = "batch_id";

    /// <summary>
    /// Marks an event that arrived from outside the process, naming the transport it came through (such as
    /// <c>rabbitmq</c>). The bus never relays such an event to an external publisher, so events do not loop.
    /// </summary>
    public const string ReceivedFrom = "received_from";

    /// <summary>Marks an event republished from the store by <see cref="EventReplayer"/>: <c>true</c>.</summary>
    public const string Replayed = "replayed";
}
