namespace EventBus;

/// <summary>
/// How often a failed delivery is attempted again, and how long to wait in between. Set a default for every
/// subscription with <see cref="EventBusOptions.Retry"/> and override it with <see cref="SubscriptionOptions.Retry"/>.
/// A delivery that still fails after <see cref="MaxAttempts"/> goes to the dead-letter queue.
/// </summary>
/// <remarks>
/// A retry waiting for its delay never blocks other keys or other subscriptions: the subscription holds back only
/// the later events of the same ordering key, so their order is kept.
/// </remarks>
/// <example>
/// <code>
/// options.Retry = RetryPolicy.Exponential(maxAttempts: 5, initialDelay: TimeSpan.FromMilliseconds(100), maxDelay: TimeSpan.FromSeconds(5));
/// options.Retry.ShouldRetry = exception => exception is not ArgumentException;
/// </code>
/// </example>
public sealed class RetryPolicy
{
    /// <summary>Gets a policy of one attempt and no retry. This is the bus's default.</summary>
    public static RetryPolicy None => new() { MaxAttempts = 1, Backoff = RetryBackoff.None, Delay = TimeSpan.Zero, Jitter = 0 };

    /// <summary>Gets or sets the total number of attempts, the first included. 1 means no retry.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets or sets how the delay grows.</summary>
    /// <value>The default value is <see cref="RetryBackoff.Exponential"/>.</value>
    public RetryBackoff Backoff { get; set; } = RetryBackoff.Exponential;

    /// <summary>Gets or sets the delay before the first retry (and every retry with <see cref="RetryBackoff.Fixed"/>).</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest delay, applied after jitter.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how much an exponential delay is spread at random, as a fraction: 0.2 picks each delay
    /// uniformly within ±20% of its nominal value, so that many failing events do not retry in lockstep.
    /// </summary>
    /// <value>The default value is 0.2.</value>
    public double Jitter { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets which exceptions are worth a retry; others dead-letter at once. An <see cref="EventSchemaException"/>
    /// is never retried: the same event fails the same check every time.
    /// </summary>
    /// <value>The default value is <c>null</c>: every other exception is retried.</value>
    public Func<Exception, bool>? ShouldRetry { get; set; }

    /// <summary>Creates a policy that waits the same <paramref name="delay"/> before every retry.</summary>
    /// <param name="maxAttempts">The total number of attempts, the first included.</param>
    /// <param name="delay">The wait before each retry.</param>
    /// <returns>The policy.</returns>
    public static RetryPolicy Fixed(int maxAttempts, TimeSpan delay) =>
        new RetryPolicy { MaxAttempts = maxAttempts, Backoff = delay == TimeSpan.Zero ? RetryBackoff.None : RetryBackoff.Fixed, Delay = delay, Jitter = 0 }.Validated();

    /// <summary>Creates a policy whose delay doubles with each retry, up to <paramref name="maxDelay"/>, spread by <paramref name="jitter"/>.</summary>
    /// <param name="maxAttempts">The total number of attempts, the first included.</param>
    /// <param name="initialDelay">The wait before the first retry.</param>
    /// <param name="maxDelay">The longest wait; 30 seconds when null.</param>
    /// <param name="jitter">The random spread as a fraction from 0 to 1; 0 for exact delays.</param>
    /// <returns>The policy.</returns>
    public static RetryPolicy Exponential(int maxAttempts, TimeSpan initialDelay, TimeSpan? maxDelay = null, double jitter = 0.2) =>
        new RetryPolicy { MaxAttempts = maxAttempts, Backoff = RetryBackoff.Exponential, Delay = initialDelay, MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30), Jitter = jitter }.Validated();

    /// <summary>Computes the wait after a failed attempt.</summary>
    /// <param name="failedAttempt">The number of the attempt that failed, from 1.</param>
    /// <returns>The delay before the next attempt.</returns>
    public TimeSpan GetDelay(int failedAttempt) => GetDelay(failedAttempt, Random.Shared.NextDouble());

    /// <summary>Tells whether <paramref name="exception"/>, thrown by attempt <paramref name="failedAttempt"/>, earns another attempt.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="failedAttempt">The number of the attempt that failed, from 1.</param>
    /// <returns><see langword="true"/> when another attempt follows.</returns>
    public bool ShouldRetryAfter(Exception exception, int failedAttempt) =>
        failedAttempt < MaxAttempts && exception is not EventSchemaException && (ShouldRetry is null || ShouldRetry(exception));

    /// <summary>Gets a value indicating whether every retry runs at once, so a delivery never parks for a delay.</summary>
    internal bool NeverDelays => MaxAttempts <= 1 || Backoff == RetryBackoff.None || Delay == TimeSpan.Zero;

    /// <summary>Computes a delay from a uniform sample in [0, 1), so the spread can be tested exactly.</summary>
    internal TimeSpan GetDelay(int failedAttempt, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failedAttempt);
        switch (Backoff)
        {
            case RetryBackoff.Fixed:
                return Delay;
            case RetryBackoff.Exponential:
                double nominal = Delay.Ticks * Math.Pow(2, Math.Min(failedAttempt - 1, 62));
                double spread = nominal * (1 + (Jitter * ((2 * sample) - 1)));
                return TimeSpan.FromTicks((long)Math.Min(spread, MaxDelay.Ticks));
            default:
                return TimeSpan.Zero;
        }
    }

    /// <summary>Lists every problem with the policy, each naming the bad value and the fix.</summary>
    internal void Validate(string owner, List<string> errors)
    {
        if (MaxAttempts < 1)
        {
            errors.Add($"{owner}.MaxAttempts is {MaxAttempts}; it must be at least 1 (1 means no retry).");
        }

        if (!Enum.IsDefined(Backoff))
        {
            errors.Add($"{owner}.Backoff is {(int)Backoff}, which is not a RetryBackoff; use None, Fixed or Exponential.");
        }

        if (Delay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
        {
            errors.Add($"{owner}.Delay ({Delay}) and MaxDelay ({MaxDelay}) must be zero or positive.");
        }

        TimerLimit.Check($"{owner}.Delay", Delay, errors, "Use a shorter delay.");
        TimerLimit.Check($"{owner}.MaxDelay", MaxDelay, errors, "Use a shorter maximum delay.");
        if (!(Jitter is >= 0 and <= 1))
        {
            errors.Add($"{owner}.Jitter is {Jitter}; it must be a fraction from 0 to 1.");
        }
    }

    internal RetryPolicy Clone() => (RetryPolicy)MemberwiseClone();

    private RetryPolicy Validated()
    {
        List<string> errors = [];
        Validate(nameof(RetryPolicy), errors);
        return errors.Count == 0 ? this : throw new ArgumentException(string.Join(" ", errors));
    }
}
