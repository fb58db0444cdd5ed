using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventBus.RabbitMQ;

/// <summary>Carries the bus's events across processes on RabbitMQ.</summary>
public static class RabbitMqBuilderExtensions
{
    /// <summary>
    /// Publishes the events that match <see cref="RabbitMqOptions.Publish"/> to the broker (through the relay: buffered,
    /// pipelined, confirmed, retried), and receives the events that match <see cref="RabbitMqOptions.Receive"/> from this
    /// application's queue <see cref="RabbitMqOptions.QueueName"/> into the bus. Event types on the wire must be in the
    /// <see cref="EventCatalog"/>, which names their payload types.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="configure">Sets the broker, the exchange, the queue and the patterns.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static IEventBusBuilder AddRabbitMq(this IEventBusBuilder builder, Action<RabbitMqOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        RabbitMqOptions options = new();
        configure(options);
        options.Validate();

        IServiceCollection services = builder.Services;
        services.TryAddSingleton(options);
        services.TryAddSingleton(_ => new RabbitMqConnection(options));
        services.TryAddSingleton(provider => new RabbitMqMetrics(provider.GetService<IMeterFactory>()));
        services.TryAddSingleton(provider => new CloudEventJsonFormat(
            provider.GetRequiredService<EventCatalog>(),
            maxMessageBytes: options.MaxMessageBytes,
            timeProvider: provider.GetService<TimeProvider>()));
        services.TryAddSingleton(provider => new RabbitMqPublisher(
            provider.GetRequiredService<RabbitMqConnection>(),
            options,
            provider.GetRequiredService<CloudEventJsonFormat>()));
        services.TryAddSingleton(provider => new RabbitMqHealthCheck(
            provider.GetRequiredService<RabbitMqConnection>(),
            options,
            provider.GetRequiredService<IEventBus>()));
        if (options.Publish.Count > 0)
        {
            builder.AddExternalPublisher(provider => provider.GetRequiredService<RabbitMqPublisher>(), [.. options.Publish], relay =>
            {
                relay.OutboxCapacity = options.Relay.OutboxCapacity;
                relay.Concurrency = options.Relay.Concurrency;
                relay.Retry = options.Relay.Retry;
                relay.UseStoreAsOutbox = options.Relay.UseStoreAsOutbox;
                relay.BatchSize = options.Relay.BatchSize;
            });
        }

        if (options.Receive.Count > 0 || options.ReceiveSubscribed)
        {
            services.TryAddSingleton(provider => new RabbitMqConsumer(
                provider.GetRequiredService<RabbitMqConnection>(),
                options,
                provider.GetRequiredService<CloudEventJsonFormat>(),
                provider.GetRequiredService<IEventBus>(),
                provider.GetRequiredService<RabbitMqMetrics>(),
                provider.GetService<ILogger<RabbitMqConsumer>>() ?? NullLogger<RabbitMqConsumer>.Instance,
                provider.GetService<IEventStore>() as IInboxStore));
            services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<RabbitMqConsumer>());
        }

        return builder;
    }
}
