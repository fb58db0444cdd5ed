namespace EventBus;

/// <summary>The payload of <c>{node}.{operation}.completed</c>.</summary>
public sealed record OperationCompleted
{
    /// <summary>Gets the operation's name.</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the id of the node that ran it.</summary>
    public required string NodeId { get; init; }

    /// <summary>Gets when it ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Gets how long it ran, in milliseconds, as measured by the publisher's <see cref="TimeProvider"/>.</summary>
    public double ExecutionTimeMs { get; init; }

    /// <summary>Gets the result's field names and their type names; never the values.</summary>
    public required IReadOnlyDictionary<string, string> ResultSummary { get; init; }
}
