using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventBus.RabbitMQ;

/// <summary>
/// Reports the broker connection: healthy when connected; degraded (not unhealthy) when the broker is away, because
/// local delivery goes on and the relay holds and retries what it could not send. Register it with
/// <c>services.AddHealthChecks().AddRabbitMq()</c>.
/// </summary>
public sealed class RabbitMqHealthCheck : IHealthCheck
{
    private readonly RabbitMqConnection _connection;
    private readonly RabbitMqOptions _options;
    private readonly IEventBus _bus;

    internal RabbitMqHealthCheck(RabbitMqConnection connection, RabbitMqOptions options, IEventBus bus)
    {
        _connection = connection;
        _options = options;
        _bus = bus;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long waiting = _bus.Subscriptions
            .Where(s => s.SubscriberId == ExternalPublishers.SubscriberIdOf(RabbitMqPublisher.PublisherName))
            .Sum(s => s.Counters.Pending);
        Dictionary<string, object> data = new() { ["broker"] = _options.ToString(), ["relay_pending"] = waiting };
        return await _connection.IsConnectedAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy($"Connected to {_options}.", data)
            : HealthCheckResult.Degraded($"RabbitMQ at {_options} is not connected; local delivery goes on, and {waiting} events wait for the broker and are retried.", data: data);
    }
}
