namespace EventBus;

/// <summary>The payload of a <c>phase.progress</c> event.</summary>
public sealed record PhaseProgress
{
    /// <summary>Initializes a new instance of the <see cref="PhaseProgress"/> record.</summary>
    /// <param name="phase">The phase.</param>
    /// <param name="percent">How far the phase is, from 0 to 100.</param>
    public PhaseProgress(string phase, double percent)
    {
        Phase = phase;
        Percent = percent;
    }

    /// <summary>Gets the phase.</summary>
    public string Phase { get; init; }

    /// <summary>Gets how far the phase is, from 0 to 100.</summary>
    public double Percent { get; init; }

    /// <summary>Gets an optional note, such as the step being worked on.</summary>
    public string? Message { get; init; }
}
