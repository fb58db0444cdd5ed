namespace EventBus;

/// <summary>The payload of <c>{node}.{operation}.failed</c>.</summary>
/// <param name="Operation">The operation's name.</param>
/// <param name="NodeId">The id of the node that ran it.</param>
/// <param name="FailedAt">When it ended.</param>
/// <param name="ExecutionTimeMs">How long it ran, in milliseconds.</param>
/// <param name="ErrorType">The exception's type name, or a caller-chosen error code.</param>
/// <param name="ErrorMessage">What went wrong.</param>
public sealed record OperationFailed(string Operation, string NodeId, DateTimeOffset FailedAt, double ExecutionTimeMs, string ErrorType, string ErrorMessage);
