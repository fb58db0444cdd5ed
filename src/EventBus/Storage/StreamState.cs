namespace EventBus;

/// <summary>An aggregate's state rebuilt from its stream, with the version to append after it.</summary>
/// <typeparam name="TState">The state's type.</typeparam>
/// <param name="State">The state.</param>
/// <param name="Version">The version of the last event applied (0 for a stream without events): the expected version of the next append.</param>
/// <param name="FromSnapshot">The snapshot version the fold started from, or 0 when it read the whole stream.</param>
public sealed record StreamState<TState>(TState State, long Version, long FromSnapshot);
