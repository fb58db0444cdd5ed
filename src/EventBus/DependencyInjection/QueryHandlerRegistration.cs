namespace EventBus;

/// <summary>Which handler answers a query type, so that a second one is refused at registration.</summary>
internal sealed record QueryHandlerRegistration(Type QueryType, Type HandlerType);
