namespace EventBus;

/// <summary>The payload of a <c>phase.progress</c> event.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Percent">How far the phase is, from 0 to 100.</param>
/// <param name="Message">An optional note, such as the step being worked on.</param>
public sealed record PhaseProgress(string Phase, double Percent, string? Message = null);
