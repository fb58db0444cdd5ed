using EventBus.RabbitMQ;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the RabbitMQ transport to an application's health checks.</summary>
public static class RabbitMqHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the transport's health check (<see cref="RabbitMqHealthCheck"/>, registered by <c>AddRabbitMq</c>): Degraded
    /// while the broker can not be reached, as the bus keeps publishing locally and the outbox waits.
    /// </summary>
    /// <param name="builder">The health checks builder, from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name in the report.</param>
    /// <param name="failureStatus">The status reported when the check fails, or null for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by, such as <c>ready</c>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddRabbitMq(this IHealthChecksBuilder builder, string name = "rabbitmq", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, provider => provider.GetRequiredService<RabbitMqHealthCheck>(), failureStatus, tags));
    }
}
