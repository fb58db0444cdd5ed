using EventBus;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the event bus to an application's health checks.</summary>
public static class EventBusHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the bus's health check (<see cref="EventBusHealthCheck"/>): Unhealthy while the bus is not running or a worker
    /// died, Degraded or Unhealthy as the queue, the dead letters or the oldest pending event cross the thresholds of
    /// <see cref="EventBusHealthOptions"/>.
    /// </summary>
    /// <param name="builder">The health checks builder, from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name in the report.</param>
    /// <param name="configure">Adjusts the thresholds (after those bound from configuration), or null.</param>
    /// <param name="failureStatus">The status reported for an unhealthy bus, or null for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by, such as <c>ready</c>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddEventBus(
        this IHealthChecksBuilder builder,
        string name = "eventbus",
        Action<EventBusHealthOptions>? configure = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        OptionsBuilder<EventBusHealthOptions> thresholds = builder.Services.AddOptions<EventBusHealthOptions>().ValidateOnStart();
        if (configure is not null)
        {
            thresholds.Configure(configure);
        }

        return builder.Add(new HealthCheckRegistration(name, provider => provider.GetRequiredService<EventBusHealthCheck>(), failureStatus, tags));
    }
}
