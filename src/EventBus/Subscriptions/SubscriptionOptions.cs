namespace EventBus;

/// <summary>Per-subscription settings.</summary>
public sealed class SubscriptionOptions
{
    /// <summary>Gets or sets the id of the component that subscribes, shown in logs and reports.</summary>
    /// <value>The default value is <c>null</c>, which uses the subscription's own id.</value>
    public string? SubscriberId { get; set; }

    /// <summary>
    /// Gets or sets how many events of different ordering keys the handler may process at once. Events of one key
    /// are always handled one at a time, in publish order.
    /// </summary>
    /// <value>The default value is 1.</value>
    public int Concurrency { get; set; } = 1;

    /// <summary>
    /// Gets or sets how many events may wait for this subscription while its handler works (the events being handled,
    /// one per lane, do not count); past it, <see cref="FullMode"/> applies: drop the event for this subscription only
    /// (counted and logged), or hold a place of the bus for it.
    /// </summary>
    /// <value>The default value is <c>null</c>, which uses <see cref="EventBusOptions.SubscriptionBufferCapacity"/>.</value>
    public int? BufferCapacity { get; set; }

    /// <summary>Gets or sets what routing does when this subscription's buffer is full.</summary>
    /// <value>The default value is <c>null</c>, which uses <see cref="EventBusOptions.SubscriptionFullMode"/>.</value>
    public SubscriptionFullMode? FullMode { get; set; }

    /// <summary>Gets or sets this subscription's retry policy.</summary>
    /// <value>The default value is <c>null</c>, which uses <see cref="EventBusOptions.Retry"/>.</value>
    public RetryPolicy? Retry { get; set; }

    /// <summary>
    /// Gets or sets how long the handler may run before its token is cancelled; if the handler then throws, the attempt
    /// fails with a <see cref="HandlerTimeoutException"/> (and may be retried). A handler that ignores its token and completes counts as handled.
    /// </summary>
    /// <value>The default value is <c>null</c>, which uses <see cref="EventBusOptions.HandlerTimeout"/>.</value>
    public TimeSpan? HandlerTimeout { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether events this subscription gives up on go to the dead-letter queue.
    /// When false they are only counted (<see cref="SubscriptionCounters.Failed"/>, <see cref="SubscriptionCounters.Expired"/>) and logged.
    /// </summary>
    /// <value>The default value is <c>true</c>.</value>
    public bool DeadLetter { get; set; } = true;

    /// <summary>The most lanes one subscription may have (<see cref="Concurrency"/>).</summary>
    internal const int MaxConcurrency = 1_024;

    /// <summary>Copies every setting; the retry policy is copied too, so later changes to either do not leak across.</summary>
    internal SubscriptionOptions Clone()
    {
        SubscriptionOptions clone = (SubscriptionOptions)MemberwiseClone();
        clone.Retry = Retry?.Clone();
        return clone;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> that lists every problem, each naming the bad value and the fix.</summary>
    internal void Validate(string paramName)
    {
        List<string> errors = [];
        Retry?.Validate("SubscriptionOptions.Retry", errors);
        if (HandlerTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add($"SubscriptionOptions.HandlerTimeout is {timeout}; it must be positive, or null for the bus default.");
        }

        TimerLimit.Check("SubscriptionOptions.HandlerTimeout", HandlerTimeout, errors, "Use a shorter timeout, or null for the bus default.");
        if (Concurrency is <= 0 or > MaxConcurrency)
        {
            errors.Add($"SubscriptionOptions.Concurrency is {Concurrency}; it must be from 1 to {MaxConcurrency} (the default is 1). Each unit is a lane with its own loop.");
        }

        if (FullMode is { } mode && !Enum.IsDefined(mode))
        {
            errors.Add($"SubscriptionOptions.FullMode is {(int)mode}, which is not a SubscriptionFullMode; use Drop or Wait, or null for the bus default.");
        }

        if (BufferCapacity is <= 0)
        {
            errors.Add($"SubscriptionOptions.BufferCapacity is {BufferCapacity}; it must be at least 1, or null for the bus default.");
        }

        if (SubscriberId is { } id && (id.Length == 0 || Display.HasControlCharacters(id)))
        {
            errors.Add($"SubscriptionOptions.SubscriberId '{Display.Escape(id)}' is empty or holds a control character; use a printable name such as 'billing', or null for the subscription's own id.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), paramName);
        }
    }
}
