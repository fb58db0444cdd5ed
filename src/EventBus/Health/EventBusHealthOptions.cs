namespace EventBus;

/// <summary>
/// The thresholds of the bus's health report and health check. The report is <see cref="EventBusHealthStatus.Unhealthy"/>
/// when the bus is not running, when fewer workers are alive than configured, or when any Unhealthy threshold is crossed;
/// <see cref="EventBusHealthStatus.Degraded"/> when a Degraded threshold is crossed; otherwise healthy.
/// </summary>
public sealed class EventBusHealthOptions
{
    /// <summary>Gets or sets the queue depth, as a fraction of <see cref="EventBusOptions.Capacity"/>, at which the bus is degraded.</summary>
    /// <value>The default value is 0.8.</value>
    public double DegradedQueueRatio { get; set; } = 0.8;

    /// <summary>Gets or sets the queue depth, as a fraction of capacity, at which the bus is unhealthy.</summary>
    /// <value>The default value is 0.95.</value>
    public double UnhealthyQueueRatio { get; set; } = 0.95;

    /// <summary>Gets or sets the number of held dead letters at which the bus is degraded.</summary>
    /// <value>The default value is 1: any dead letter needs someone's attention.</value>
    public int DegradedDeadLetters { get; set; } = 1;

    /// <summary>
    /// Gets or sets the number of held dead letters at which the bus is unhealthy.
    /// </summary>
    /// <value>The default value is <c>null</c>, which means a full dead-letter queue (it then evicts, and evicted dead letters are gone).</value>
    public int? UnhealthyDeadLetters { get; set; }

    /// <summary>Gets or sets the age of the oldest event a subscription holds at which the bus is degraded.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DegradedPendingAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the age of the oldest event a subscription holds at which the bus is unhealthy.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan UnhealthyPendingAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Lists what is wrong with these thresholds, each naming the value and the fix.</summary>
    internal List<string> Validate()
    {
        List<string> errors = [];
        if (!(DegradedQueueRatio > 0 && DegradedQueueRatio <= UnhealthyQueueRatio && UnhealthyQueueRatio <= 1))
        {
            errors.Add($"EventBusHealthOptions.DegradedQueueRatio is {DegradedQueueRatio} and UnhealthyQueueRatio {UnhealthyQueueRatio}; they must satisfy 0 < degraded <= unhealthy <= 1, such as 0.8 and 0.95.");
        }

        if (DegradedDeadLetters < 1)
        {
            errors.Add($"EventBusHealthOptions.DegradedDeadLetters is {DegradedDeadLetters}; it must be at least 1.");
        }

        if (UnhealthyDeadLetters is { } unhealthy && unhealthy < DegradedDeadLetters)
        {
            errors.Add($"EventBusHealthOptions.UnhealthyDeadLetters is {unhealthy}, below DegradedDeadLetters ({DegradedDeadLetters}); raise it, or leave it null for a full dead-letter queue.");
        }

        if (DegradedPendingAge <= TimeSpan.Zero || UnhealthyPendingAge < DegradedPendingAge)
        {
            errors.Add($"EventBusHealthOptions.DegradedPendingAge is {DegradedPendingAge} and UnhealthyPendingAge {UnhealthyPendingAge}; they must satisfy 0 < degraded <= unhealthy, such as 00:00:30 and 00:02:00.");
        }

        return errors;
    }
}
