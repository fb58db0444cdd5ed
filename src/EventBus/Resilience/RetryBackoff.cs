namespace EventBus;

/// <summary>How the wait between a failed attempt and the next one grows.</summary>
public enum RetryBackoff
{
    /// <summary>Retry at once.</summary>
    None = 0,

    /// <summary>Wait <see cref="RetryPolicy.Delay"/> before every retry.</summary>
    Fixed = 1,

    /// <summary>Wait <see cref="RetryPolicy.Delay"/> × 2^(retry − 1), capped at <see cref="RetryPolicy.MaxDelay"/>, with <see cref="RetryPolicy.Jitter"/>.</summary>
    Exponential = 2,
}
