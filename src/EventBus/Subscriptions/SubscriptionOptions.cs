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
    /// Gets or sets how many events may wait for this subscription; past it, events are dropped for this
    /// subscription only (counted and logged), so a stuck subscriber never delays the others.
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

    internal void Validate(string paramName)
    {
        if (Retry is not null)
        {
            List<string> errors = [];
            Retry.Validate("SubscriptionOptions.Retry", errors);
            if (errors.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", errors), paramName);
            }
        }

        if (HandlerTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, $"SubscriptionOptions.HandlerTimeout is {timeout}; it must be positive, or null for the bus default.");
        }

        if (Concurrency <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, Concurrency, $"SubscriptionOptions.Concurrency is {Concurrency}; it must be at least 1 (the default).");
        }

        if (FullMode is { } mode && !Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(paramName, mode, $"SubscriptionOptions.FullMode is {(int)mode}, which is not a SubscriptionFullMode; use Drop or Wait, or null for the bus default.");
        }

        if (BufferCapacity is <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, BufferCapacity, $"SubscriptionOptions.BufferCapacity is {BufferCapacity}; it must be at least 1, or null for the bus default.");
        }
    }
}
