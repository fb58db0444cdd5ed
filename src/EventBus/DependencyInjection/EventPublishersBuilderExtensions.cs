using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>Configures the typed publishers and the event catalogue registered by <c>AddEventBus</c>.</summary>
public static class EventPublishersBuilderExtensions
{
    /// <summary>Adjusts the <see cref="EventPublisherOptions"/> shared by the typed publishers: source id, best-effort mode and query timeout.</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder ConfigurePublishers(this IEventBusBuilder builder, Action<EventPublisherOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<EventPublisherOptions>().Configure(configure);
        return builder;
    }

    /// <summary>Registers event types in the <see cref="EventCatalog"/> when it is created.</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="register">Registers the types, for example with <see cref="EventCatalog.Register(string, string, string, Type?, PayloadSchema?)"/>.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddEventTypes(this IEventBusBuilder builder, Action<EventCatalog> register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(register);
        builder.Services.AddSingleton(new CatalogRegistration(register));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="OperationEventPublisher"/> for <paramref name="nodeType"/> as a keyed singleton
    /// (resolve it with <c>[FromKeyedServices("orchestrator")]</c>), and its operations' event types in the catalogue.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="nodeType">The node type, such as <c>orchestrator</c>; it is also the service key.</param>
    /// <param name="operations">The node's operations, registered in the catalogue with the state and metric events.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddOperationPublisher(this IEventBusBuilder builder, string nodeType, params string[] operations)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(operations);
        EventTypeName.ThrowIfInvalid(nodeType, nameof(nodeType));
        builder.Services.AddKeyedSingleton(nodeType, (provider, _) => new OperationEventPublisher(
            provider.GetRequiredService<IEventPublisher>(),
            nodeType,
            provider.GetRequiredService<IOptions<EventPublisherOptions>>().Value,
            provider.GetService<ILogger<OperationEventPublisher>>()));
        string[] copy = [.. operations];
        builder.Services.AddSingleton(new CatalogRegistration(catalog => catalog.RegisterOperations(nodeType, copy)));
        return builder;
    }
}
