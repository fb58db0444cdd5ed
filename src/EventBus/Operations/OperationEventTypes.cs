namespace EventBus;

/// <summary>The type names of operation lifecycle events.</summary>
internal static class OperationEventTypes
{
    public const string StartedSuffix = ".started";
    public const string CompletedSuffix = ".completed";
    public const string FailedSuffix = ".failed";
    public const string LifecycleCategory = "operation_lifecycle";
    public const string StateCategory = "state_events";
    public const string MetricCategory = "metric_events";

    public static string Prefix(string nodeType, string operation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeType);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        return nodeType + "." + operation;
    }

    public static string StateChanged(string nodeType) => nodeType + ".state.changed";

    public static string MetricRecorded(string nodeType) => nodeType + ".metric.recorded";
}
