namespace EventBus;

/// <summary>The bus's health, from best to worst.</summary>
public enum EventBusHealthStatus
{
    /// <summary>Every threshold is met.</summary>
    Healthy = 0,

    /// <summary>A Degraded threshold of <see cref="EventBusHealthOptions"/> is crossed.</summary>
    Degraded = 1,

    /// <summary>An Unhealthy threshold is crossed, a worker has died, or the bus is not running.</summary>
    Unhealthy = 2,
}
