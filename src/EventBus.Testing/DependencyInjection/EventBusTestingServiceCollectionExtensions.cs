using EventBus;
using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Swaps the real bus for test doubles in a service collection.</summary>
public static class EventBusTestingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces <see cref="IEventPublisher"/> with a recording <see cref="InMemoryEventPublisher"/> (also registered as
    /// itself, so the test can resolve it and inspect what was published).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="publisher">The publisher to use, or null for a new one.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection UseInMemoryEventPublisher(this IServiceCollection services, InMemoryEventPublisher? publisher = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        publisher ??= new InMemoryEventPublisher();
        services.RemoveAll<IEventPublisher>();
        services.AddSingleton(publisher);
        services.AddSingleton<IEventPublisher>(publisher);
        return services;
    }

    /// <summary>
    /// Replaces the bus (<see cref="IEventBus"/>, <see cref="IEventPublisher"/>, <see cref="IEventSubscriber"/>) and the
    /// <see cref="TimeProvider"/> with those of <paramref name="harness"/>, so the code under test runs on the real bus
    /// while the test records and controls it. Handler types registered with <c>AddEventHandler</c> subscribe to the
    /// harness's bus when it is first resolved.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="harness">The harness.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection UseEventBusHarness(this IServiceCollection services, EventBusHarness harness)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(harness);
        services.RemoveAll<IEventBus>();
        services.RemoveAll<IEventPublisher>();
        services.RemoveAll<IEventSubscriber>();
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(harness);
        services.AddSingleton(provider =>
        {
            // Handler types registered with AddEventHandler subscribe to the harness's bus, as they would to the real one.
            provider.SubscribeEventHandlers(harness.Bus);
            return harness.Bus;
        });
        services.AddSingleton<IEventPublisher>(provider => provider.GetRequiredService<IEventBus>());
        services.AddSingleton<IEventSubscriber>(provider => provider.GetRequiredService<IEventBus>());
        services.AddSingleton<TimeProvider>(harness.Time);
        return services;
    }
}
