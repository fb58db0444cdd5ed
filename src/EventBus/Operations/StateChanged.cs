namespace EventBus;

/// <summary>The payload of <c>{node}.state.changed</c>: a state machine transition.</summary>
public sealed record StateChanged
{
    /// <summary>Gets the state left.</summary>
    public required string OldState { get; init; }

    /// <summary>Gets the state entered.</summary>
    public required string NewState { get; init; }

    /// <summary>Gets why, or null.</summary>
    public string? Reason { get; init; }
}
