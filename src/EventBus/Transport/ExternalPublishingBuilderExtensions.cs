using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EventBus;

/// <summary>Registers external publishers and binds them to the events they carry out of the process.</summary>
public static class ExternalPublishingBuilderExtensions
{
    /// <summary>
    /// Relays every event published in this process whose type matches one of <paramref name="typePatterns"/> to the
    /// publisher that <paramref name="create"/> returns (resolved once, when the bus is created). Sending never happens on
    /// the publisher's thread: with a store that is an <see cref="IEventLog"/>, stored events are sent from the store
    /// (the durable outbox), the rest through the relay's subscription (subscriber id <c>external:{name}</c>, the in-memory
    /// outbox). Relay statistics are in <see cref="ExternalRelays"/>.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="create">Creates the publisher from the application's services.</param>
    /// <param name="typePatterns">Exact types or patterns (<c>workflow.#</c>); at least one.</param>
    /// <param name="configure">Adjusts the relay's outbox, concurrency and retries, or null.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">No pattern was given, or one is invalid.</exception>
    public static IEventBusBuilder AddExternalPublisher(
        this IEventBusBuilder builder,
        Func<IServiceProvider, IExternalPublisher> create,
        string[] typePatterns,
        Action<ExternalPublisherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(typePatterns);
        if (typePatterns.Length == 0)
        {
            throw new ArgumentException("Bind the external publisher to at least one event type or pattern, such as 'workflow.#' or '#'.", nameof(typePatterns));
        }

        EventFilter binding = EventFilter.AnyOf([.. typePatterns.Select(EventFilter.Pattern)]);
        ExternalPublisherOptions options = new();
        configure?.Invoke(options);
        new SubscriptionOptions { BufferCapacity = options.OutboxCapacity, Concurrency = options.Concurrency, Retry = options.Retry }.Validate(nameof(configure));
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.BatchSize, $"ExternalPublisherOptions.BatchSize is {options.BatchSize}; set it to 1 or more (the default is 1,000).");
        }

        ExternalRelay relay = new(create, binding, options);
        builder.Services.TryAddSingleton(_ => new ExternalRelays());
        builder.Services.AddSingleton(new HandlerRegistration((provider, bus) =>
        {
            ISubscription subscription = relay.Attach(provider, bus);
            provider.GetRequiredService<ExternalRelays>().Add(relay);
            return subscription;
        }));

        // Started after the bus (hosted services start in order of registration) and stopped before it.
        builder.Services.AddSingleton<IHostedService>(relay);
        return builder;
    }
}
