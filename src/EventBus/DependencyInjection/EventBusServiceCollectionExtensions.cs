using System.Diagnostics.Metrics;
using EventBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the event bus.</summary>
public static class EventBusServiceCollectionExtensions
{
    /// <summary>Registers the bus with default options; see <see cref="AddEventBus(IServiceCollection, Action{EventBusOptions})"/>.</summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder for registering handlers.</returns>
    public static IEventBusBuilder AddEventBus(this IServiceCollection services) => services.AddEventBus(static _ => { });

    /// <summary>
    /// Registers the bus as a singleton (<see cref="IEventBus"/>, <see cref="IEventPublisher"/>,
    /// <see cref="IEventSubscriber"/>) with a hosted service that starts it and drains it on stop, together with the
    /// <see cref="EventCatalog"/> and the typed publishers (<see cref="WorkflowEventPublisher"/>,
    /// <see cref="MessagePublisher"/>, <see cref="QueryClient"/>) configured by <see cref="EventPublisherOptions"/>.
    /// Options are validated when the host starts, with every problem in one message. Calling it again only adds configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>A builder for registering handlers.</returns>
    public static IEventBusBuilder AddEventBus(this IServiceCollection services, Action<EventBusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EventBusOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventBusOptions>>(new ListedProblemsValidator<EventBusOptions>(static o => o.Validate())));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventBus>(CreateBus);
        services.TryAddSingleton<IEventPublisher>(provider => provider.GetRequiredService<IEventBus>());
        services.TryAddSingleton<IEventSubscriber>(provider => provider.GetRequiredService<IEventBus>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventBusHostedService>());
        services.TryAddScoped(provider => new HandlerContext(provider.GetRequiredService<IEventPublisher>(), provider));
        services.TryAddScoped<IHandlerContext>(provider => provider.GetRequiredService<HandlerContext>());
        AddPublishers(services);
        services.AddOptions<EventBusHealthOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventBusHealthOptions>>(new ListedProblemsValidator<EventBusHealthOptions>(static o => o.Validate())));
        services.TryAddSingleton<EventBusHealthCheck>();
        return new EventBusBuilder(services);
    }

    /// <summary>
    /// Registers the bus with options bound from <paramref name="configuration"/> (for example the "EventBus" section):
    /// <see cref="EventBusOptions"/> from the section itself, <see cref="EventPublisherOptions"/> from its "Publishers"
    /// section and the health thresholds (<see cref="EventBusHealthOptions"/>) from its "Health" section, all validated
    /// when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding <see cref="EventBusOptions"/> values.</param>
    /// <returns>A builder for registering handlers.</returns>
    public static IEventBusBuilder AddEventBus(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IEventBusBuilder builder = services.AddEventBus();
        services.AddOptions<EventBusOptions>().Bind(configuration);
        services.AddOptions<EventPublisherOptions>().Bind(configuration.GetSection("Publishers"));
        services.AddOptions<EventBusHealthOptions>().Bind(configuration.GetSection("Health"));
        return builder;
    }

    private static void AddPublishers(IServiceCollection services)
    {
        services.AddOptions<EventPublisherOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventPublisherOptions>>(new ListedProblemsValidator<EventPublisherOptions>(static o => o.Validate())));
        services.TryAddSingleton(provider =>
        {
            EventCatalog catalog = new();
            foreach (CatalogRegistration registration in provider.GetServices<CatalogRegistration>())
            {
                registration.Apply(catalog);
            }

            return catalog;
        });
        services.TryAddSingleton(provider => new WorkflowEventPublisher(
            provider.GetRequiredService<IEventPublisher>(),
            PublisherOptions(provider),
            provider.GetService<ILogger<WorkflowEventPublisher>>()));
        services.TryAddSingleton(provider => new MessagePublisher(
            provider.GetRequiredService<IEventPublisher>(),
            PublisherOptions(provider),
            provider.GetService<ILogger<MessagePublisher>>()));
        services.TryAddSingleton(provider => new QueryClient(
            provider.GetRequiredService<IEventBus>(),
            PublisherOptions(provider),
            provider.GetService<ILogger<QueryClient>>()));
    }

    private static EventPublisherOptions PublisherOptions(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<EventPublisherOptions>>().Value;

    private static ChannelEventBus CreateBus(IServiceProvider provider)
    {
        EventBusOptions options = provider.GetRequiredService<IOptions<EventBusOptions>>().Value;
        ChannelEventBus bus = EventBusFactory.CreateBus(
            options,
            provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<EventCatalog>(),
            provider.GetService<IMeterFactory>(),
            provider.GetService<IEventStore>(),
            provider.GetService<IOptions<EventStoreOptions>>()?.Value);
        provider.SubscribeEventHandlers(bus);
        return bus;
    }
}
