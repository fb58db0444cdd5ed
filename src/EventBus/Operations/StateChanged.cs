namespace EventBus;

/// <summary>The payload of <c>{node}.state.changed</c>: a state machine transition.</summary>
/// <param name="OldState">The state left.</param>
/// <param name="NewState">The state entered.</param>
/// <param name="Reason">Why, or null.</param>
public sealed record StateChanged(string OldState, string NewState, string? Reason);
