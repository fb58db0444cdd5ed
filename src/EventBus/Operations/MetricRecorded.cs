namespace EventBus;

/// <summary>The payload of <c>{node}.metric.recorded</c>.</summary>
/// <param name="Name">The metric's name.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Unit">The unit, such as <c>ms</c>, or null.</param>
/// <param name="Tags">Dimensions of the measurement; empty when there are none.</param>
public sealed record MetricRecorded(string Name, double Value, string? Unit, IReadOnlyDictionary<string, string> Tags);
