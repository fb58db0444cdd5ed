namespace EventBus;

/// <summary>One middleware registered with the builder: how to resolve it from a handling's scope, in registration order.</summary>
internal sealed record MiddlewareRegistration(Func<IServiceProvider, IEventMiddleware> Resolve);
