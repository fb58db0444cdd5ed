namespace EventBus;

/// <summary>A handler type registered in DI, subscribed when the bus is created so it also sees events held before start.</summary>
/// <param name="Subscribe">Subscribes the handler to the bus, resolving it from a fresh scope for every event.</param>
internal sealed record HandlerRegistration(Func<IServiceProvider, IEventSubscriber, ISubscription> Subscribe);
