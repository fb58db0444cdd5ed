namespace EventBus.Benchmarks;

/// <summary>The message the Wolverine benchmarks send; one to four of the handlers below handle it.</summary>
/// <param name="Number">A sequence number, so the message is not a constant.</param>
public sealed record WolverineMessage(int Number);
