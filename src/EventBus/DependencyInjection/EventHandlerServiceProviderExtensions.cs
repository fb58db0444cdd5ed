using Microsoft.Extensions.DependencyInjection;

namespace EventBus;

/// <summary>Subscribes the handler types registered in a service provider to a bus.</summary>
public static class EventHandlerServiceProviderExtensions
{
    /// <summary>
    /// Subscribes every handler registered with <c>AddEventHandler</c> or <c>AddPayloadHandler</c> to
    /// <paramref name="bus"/>, each resolved in a fresh scope of <paramref name="provider"/> for every event.
    /// <c>AddEventBus</c> does this for the bus it creates; call it when the application supplies its own bus,
    /// as the test harness does.
    /// </summary>
    /// <param name="provider">The provider the handlers were registered in.</param>
    /// <param name="bus">The bus to subscribe them to.</param>
    /// <returns>One subscription per registered handler, in registration order.</returns>
    public static IReadOnlyList<ISubscription> SubscribeEventHandlers(this IServiceProvider provider, IEventSubscriber bus)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(bus);
        List<ISubscription> subscriptions = [];
        foreach (HandlerRegistration registration in provider.GetServices<HandlerRegistration>())
        {
            subscriptions.Add(registration.Subscribe(provider, bus));
        }

        return subscriptions;
    }
}
