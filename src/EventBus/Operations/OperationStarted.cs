namespace EventBus;

/// <summary>The payload of <c>{node}.{operation}.started</c>.</summary>
public sealed record OperationStarted
{
    /// <summary>Gets the operation's name.</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the id of the node that runs it (the publisher's source id).</summary>
    public required string NodeId { get; init; }

    /// <summary>Gets when it began.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the input's field names and their type names; never the values.</summary>
    public required IReadOnlyDictionary<string, string> InputSummary { get; init; }
}
