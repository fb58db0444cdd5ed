namespace EventBus;

/// <summary>Settings of the bus. Every default lives here; <c>AddEventBus</c> validates them all at start-up.</summary>
public sealed class EventBusOptions
{
    /// <summary>The default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>The most dispatch workers a bus may have (<see cref="WorkerCount"/>).</summary>
    public const int MaxWorkerCount = 1_024;

    /// <summary>
    /// Gets or sets how many accepted events may wait to be routed before the bus is full and <see cref="FullMode"/> applies.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>Gets or sets what publishing does when the bus is full.</summary>
    /// <value>The default value is <see cref="BusFullMode.Wait"/>.</value>
    public BusFullMode FullMode { get; set; } = BusFullMode.Wait;

    /// <summary>Gets or sets the number of dispatch workers. Each owns a share of the ordering keys.</summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>; at most <see cref="MaxWorkerCount"/>.</value>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets or sets how many events may wait for one subscription, beyond those being handled, before <see cref="SubscriptionFullMode"/> applies.</summary>
    /// <value>The default value is 10,000.</value>
    public int SubscriptionBufferCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets what routing does when a subscription's buffer is full; a subscription can override it.</summary>
    /// <value>The default value is <see cref="SubscriptionFullMode.Drop"/>, which keeps subscribers isolated from each other.</value>
    public SubscriptionFullMode SubscriptionFullMode { get; set; } = SubscriptionFullMode.Drop;

    /// <summary>Gets or sets how long <see cref="IEventBus.StopAsync"/> waits for accepted events to be handled.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the function that picks an event's ordering key. Events of one key reach each subscription in
    /// publish order; events of different keys are handled in parallel. Events with a null key are spread freely.
    /// </summary>
    /// <value>The default value is <c>null</c>, which uses the workflow id, else the correlation id.</value>
    public Func<EventEnvelope, string?>? OrderingKey { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the bus refuses events its <see cref="EventCatalog"/> does not describe:
    /// an unregistered type, or a payload that does not fit the registered payload type or schema. Publishing then
    /// throws <see cref="EventSchemaException"/> naming the type and the field, and nothing of that publish is accepted.
    /// </summary>
    /// <value>The default value is <c>false</c>: the catalogue documents, but does not police.</value>
    public bool StrictCatalog { get; set; }

    /// <summary>Gets or sets the retry policy of every subscription that does not set its own (<see cref="SubscriptionOptions.Retry"/>).</summary>
    /// <value>The default value is <see cref="RetryPolicy.None"/>: one attempt, then the dead-letter queue.</value>
    public RetryPolicy Retry { get; set; } = RetryPolicy.None;

    /// <summary>
    /// Gets or sets how long a handler may run before its token is cancelled; a handler that then throws fails the
    /// attempt with a <see cref="HandlerTimeoutException"/>. A subscription can override it (<see cref="SubscriptionOptions.HandlerTimeout"/>).
    /// </summary>
    /// <value>The default value is <c>null</c>: no timeout.</value>
    public TimeSpan? HandlerTimeout { get; set; }

    /// <summary>
    /// Gets or sets how many event types outside the <see cref="EventCatalog"/> get a value of their own in the
    /// <c>messaging.destination.name</c> metric tag; later ones are tagged <c>_other</c>. Types in the catalogue always
    /// get their own. This bounds the number of metric series a flood of distinct event types could create.
    /// </summary>
    /// <value>The default value is 100.</value>
    public int MetricEventTypeLimit { get; set; } = 100;

    /// <summary>Gets or sets how many dead letters the bus keeps; when full, the oldest is evicted (counted and logged).</summary>
    /// <value>The default value is 10,000.</value>
    public int DeadLetterCapacity { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets for how many recent events the bus keeps a per-subscription delivery status
    /// (<see cref="IEventBus.DeliveryStatus"/>). Tracking costs a little on every delivery, so it is off by default.
    /// </summary>
    /// <value>The default value is 0: off.</value>
    public int DeliveryStatusCapacity { get; set; }

    /// <summary>
    /// Gets the size limits on published events' text (identifiers and metadata), checked when an event is published.
    /// They keep one oversized event from filling memory, logs or a store; raise them if your events need more.
    /// </summary>
    /// <value>The defaults are listed on <see cref="EventLimits"/>.</value>
    public EventLimits Limits { get; set; } = new();

    /// <summary>Lists every problem with the options, each naming the bad value and the fix.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    internal List<string> Validate()
    {
        List<string> errors = [];
        if (Capacity <= 0)
        {
            errors.Add($"EventBusOptions.Capacity is {Capacity}; it must be at least 1 (the default is {DefaultCapacity}).");
        }

        if (MetricEventTypeLimit < 0)
        {
            errors.Add($"EventBusOptions.MetricEventTypeLimit is {MetricEventTypeLimit}; use 0 or more (0 tags only catalogued event types by name).");
        }

        if (!Enum.IsDefined(FullMode))
        {
            errors.Add($"EventBusOptions.FullMode is {(int)FullMode}, which is not a BusFullMode; use Wait, Reject, DropOldest or DropWrite.");
        }

        if (WorkerCount is <= 0 or > MaxWorkerCount)
        {
            errors.Add($"EventBusOptions.WorkerCount is {WorkerCount}; it must be from 1 to {MaxWorkerCount} (the default is the processor count). Each worker is a loop of its own.");
        }

        if (SubscriptionBufferCapacity <= 0)
        {
            errors.Add($"EventBusOptions.SubscriptionBufferCapacity is {SubscriptionBufferCapacity}; it must be at least 1 (the default is 10,000).");
        }

        if (!Enum.IsDefined(SubscriptionFullMode))
        {
            errors.Add($"EventBusOptions.SubscriptionFullMode is {(int)SubscriptionFullMode}, which is not a SubscriptionFullMode; use Drop or Wait.");
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            errors.Add($"EventBusOptions.DrainTimeout is {DrainTimeout}; it must be zero or positive (the default is 30 seconds).");
        }

        TimerLimit.Check("EventBusOptions.DrainTimeout", DrainTimeout, errors, "Use a shorter drain timeout.");
        if (Retry is null)
        {
            errors.Add("EventBusOptions.Retry is null; use RetryPolicy.None for no retries.");
        }
        else
        {
            Retry.Validate("EventBusOptions.Retry", errors);
        }

        if (HandlerTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add($"EventBusOptions.HandlerTimeout is {timeout}; it must be positive, or null for no timeout.");
        }

        TimerLimit.Check("EventBusOptions.HandlerTimeout", HandlerTimeout, errors, "Use a shorter timeout, or null for none.");
        if (Limits is null)
        {
            errors.Add("EventBusOptions.Limits is null; leave it at its default, or set the limits you need on it.");
        }
        else
        {
            Limits.Validate(errors);
        }

        if (DeadLetterCapacity <= 0)
        {
            errors.Add($"EventBusOptions.DeadLetterCapacity is {DeadLetterCapacity}; it must be at least 1 (the default is 10,000).");
        }

        if (DeliveryStatusCapacity < 0)
        {
            errors.Add($"EventBusOptions.DeliveryStatusCapacity is {DeliveryStatusCapacity}; it must be zero (off) or positive.");
        }

        return errors;
    }

    internal EventBusOptions Clone()
    {
        EventBusOptions clone = (EventBusOptions)MemberwiseClone();
        clone.Retry = Retry.Clone();
        clone.Limits = Limits.Clone();
        return clone;
    }
}
