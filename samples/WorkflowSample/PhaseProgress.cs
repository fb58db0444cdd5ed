namespace WorkflowSample;

/// <summary>The payload of a phase.progress event.</summary>
/// <param name="Percent">How far the phase is.</param>
internal sealed record PhaseProgress(int Percent);
