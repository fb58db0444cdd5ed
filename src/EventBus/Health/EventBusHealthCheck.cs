using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>
/// An <see cref="IHealthCheck"/> over <see cref="IEventBus.GetHealth"/>, with the thresholds of
/// <see cref="EventBusHealthOptions"/>. <c>AddEventBus</c> registers it; add it to the health checks with
/// <c>services.AddHealthChecks().AddEventBus()</c>.
/// </summary>
public sealed class EventBusHealthCheck : IHealthCheck
{
    private readonly IEventBus _bus;
    private readonly EventBusHealthOptions _thresholds;

    /// <summary>Initializes a new instance of the <see cref="EventBusHealthCheck"/> class.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="thresholds">The thresholds, or null for the defaults.</param>
    public EventBusHealthCheck(IEventBus bus, IOptions<EventBusHealthOptions>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        _thresholds = thresholds?.Value ?? new EventBusHealthOptions();
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EventBusHealthReport report = _bus.GetHealth(_thresholds);
        Dictionary<string, object> data = new(StringComparer.Ordinal)
        {
            ["state"] = report.State.ToString(),
            ["queue_depth"] = report.QueueDepth,
            ["capacity"] = report.Capacity,
            ["workers_alive"] = report.WorkersAlive,
            ["worker_count"] = report.WorkerCount,
            ["dead_letters"] = report.DeadLetterCount,
            ["oldest_pending_seconds"] = report.OldestPendingAge.TotalSeconds,
        };
        string description = report.Reasons.Count == 0 ? "The event bus is healthy." : "The event bus: " + string.Join("; ", report.Reasons) + ".";
        HealthCheckResult result = report.Status switch
        {
            EventBusHealthStatus.Healthy => HealthCheckResult.Healthy(description, data),
            EventBusHealthStatus.Degraded => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy, description, data: data),
        };
        return Task.FromResult(result);
    }
}
