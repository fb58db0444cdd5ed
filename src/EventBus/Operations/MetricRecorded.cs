namespace EventBus;

/// <summary>The payload of <c>{node}.metric.recorded</c>.</summary>
public sealed record MetricRecorded
{
    /// <summary>Gets the metric's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the measured value.</summary>
    public double Value { get; init; }

    /// <summary>Gets the unit, such as <c>ms</c>, or null.</summary>
    public string? Unit { get; init; }

    /// <summary>Gets dimensions of the measurement; empty when there are none.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
}
