using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventBus;

/// <summary>Gives the bus a store: published events are written to it by persistence level, and can be queried and replayed.</summary>
public static class EventStoreBuilderExtensions
{
    /// <summary>
    /// Stores published events in the registered <see cref="IEventStore"/>, or, when none is registered, in a bounded
    /// <see cref="InMemoryEventStore"/>. Also registers an <see cref="EventReplayer"/>.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="configure">Sets the default level and levels per type, or null.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddEventStore(this IEventBusBuilder builder, Action<EventStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EventStoreOptions>()
            .Configure(options => configure?.Invoke(options))
            .Validate(options => options.RetentionInterval > TimeSpan.Zero, "EventStoreOptions.RetentionInterval must be positive, such as TimeSpan.FromHours(1); set Retention to null to keep everything.");
        builder.Services.TryAddSingleton<IEventStore>(provider => new InMemoryEventStore(InMemoryEventStore.DefaultCapacity, provider.GetService<TimeProvider>()));
        builder.Services.TryAddSingleton(provider => new EventReplayer(provider.GetRequiredService<IEventBus>(), provider.GetRequiredService<IEventStore>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, EventStoreRetention>());
        return builder;
    }
}
