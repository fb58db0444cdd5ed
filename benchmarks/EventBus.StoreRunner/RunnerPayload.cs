namespace EventBus.StoreRunner;

/// <summary>A small payload, stored as JSON.</summary>
/// <param name="Sequence">The event's number.</param>
/// <param name="Text">Some text.</param>
public sealed record RunnerPayload(int Sequence, string Text);
