namespace EventBus;

/// <summary>The payload of <c>{node}.{operation}.started</c>.</summary>
/// <param name="Operation">The operation's name.</param>
/// <param name="NodeId">The id of the node that runs it (the publisher's source id).</param>
/// <param name="StartedAt">When it began.</param>
/// <param name="InputSummary">The input's field names and their type names; never the values.</param>
public sealed record OperationStarted(string Operation, string NodeId, DateTimeOffset StartedAt, IReadOnlyDictionary<string, string> InputSummary);
