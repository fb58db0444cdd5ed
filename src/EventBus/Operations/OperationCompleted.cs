namespace EventBus;

/// <summary>The payload of <c>{node}.{operation}.completed</c>.</summary>
/// <param name="Operation">The operation's name.</param>
/// <param name="NodeId">The id of the node that ran it.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="ExecutionTimeMs">How long it ran, in milliseconds, as measured by the publisher's <see cref="TimeProvider"/>.</param>
/// <param name="ResultSummary">The result's field names and their type names; never the values.</param>
public sealed record OperationCompleted(string Operation, string NodeId, DateTimeOffset CompletedAt, double ExecutionTimeMs, IReadOnlyDictionary<string, string> ResultSummary);
