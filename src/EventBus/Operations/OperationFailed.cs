namespace EventBus;

/// <summary>The payload of <c>{node}.{operation}.failed</c>.</summary>
public sealed record OperationFailed
{
    /// <summary>Gets the operation's name.</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the id of the node that ran it.</summary>
    public required string NodeId { get; init; }

    /// <summary>Gets when it ended.</summary>
    public required DateTimeOffset FailedAt { get; init; }

    /// <summary>Gets how long it ran, in milliseconds.</summary>
    public double ExecutionTimeMs { get; init; }

    /// <summary>Gets the exception's type name, or a caller-chosen error code.</summary>
    public required string ErrorType { get; init; }

    /// <summary>Gets what went wrong.</summary>
    public required string ErrorMessage { get; init; }
}
