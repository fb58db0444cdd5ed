namespace EventBus;

/// <summary>A handler type registered in DI, subscribed when the bus is created so it also sees events held before start.</summary>
/// <param name="Subscribe">Subscribes the handler to the bus, resolving it from a fresh scope for every event.</param>
/// <param name="Key">What makes two registrations of a handler class the same subscription, or null when nothing does.</param>
internal sealed record HandlerRegistration(Func<IServiceProvider, IEventSubscriber, ISubscription> Subscribe, HandlerKey? Key = null);

/// <summary>A handler class's subscription: the class, its subscriber id and the events it selects.</summary>
/// <param name="Handler">The handler class.</param>
/// <param name="SubscriberId">The subscriber id it was registered with.</param>
/// <param name="Filter">The description of the filter that selects its events.</param>
internal sealed record HandlerKey(Type Handler, string SubscriberId, string Filter);
