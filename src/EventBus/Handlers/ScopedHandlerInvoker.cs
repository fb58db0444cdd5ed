using Microsoft.Extensions.DependencyInjection;

namespace EventBus;

/// <summary>
/// Runs a handler registered with the builder: a DI scope per handling, the <see cref="HandlerContext"/> set before the
/// handler is resolved (so its constructor can take it), and the registered middleware around it. With no middleware the
/// handler is called directly, so an empty pipeline costs nothing.
/// </summary>
internal sealed class ScopedHandlerInvoker
{
    private readonly IServiceScopeFactory _scopes;
    private readonly MiddlewareRegistration[] _middleware;
    private readonly Func<IServiceProvider, EventEnvelope, CancellationToken, ValueTask> _handle;

    // Completed by Subscribe once the bus returns the subscription; a handling that starts in between (the bus may route
    // an event to the subscription before Subscribe returns) waits for it, so the context always has it.
    private readonly TaskCompletionSource<ISubscription> _subscription = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Initializes a new instance of the <see cref="ScopedHandlerInvoker"/> class.</summary>
    /// <param name="provider">The root provider.</param>
    /// <param name="handle">Resolves the handler from the scope and calls it.</param>
    public ScopedHandlerInvoker(IServiceProvider provider, Func<IServiceProvider, EventEnvelope, CancellationToken, ValueTask> handle)
    {
        _scopes = provider.GetRequiredService<IServiceScopeFactory>();
        _middleware = [.. provider.GetServices<MiddlewareRegistration>()];
        _handle = handle;
    }

    /// <summary>Subscribes <paramref name="handler"/> (this invoker's <see cref="HandleAsync"/> when null) and keeps the subscription for the handlings' context.</summary>
    public ISubscription Subscribe(IEventSubscriber bus, EventFilter filter, SubscriptionOptions options, Func<EventEnvelope, CancellationToken, ValueTask>? handler = null)
    {
        ISubscription subscription = bus.Subscribe(filter, handler ?? HandleAsync, options);
        _subscription.TrySetResult(subscription);
        return subscription;
    }

    /// <summary>Handles one event (one attempt, when the subscription retries).</summary>
    public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => RunAsync(envelope, _handle, cancellationToken);

    /// <summary>Handles one event with <paramref name="handle"/> in place of the handler given at construction (a query handler's, which keeps its answer).</summary>
    public async ValueTask RunAsync(EventEnvelope envelope, Func<IServiceProvider, EventEnvelope, CancellationToken, ValueTask> handle, CancellationToken cancellationToken)
    {
        Task<ISubscription> subscribed = _subscription.Task;
        ISubscription subscription = subscribed.IsCompletedSuccessfully ? subscribed.Result : await subscribed.ConfigureAwait(false);
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            IServiceProvider services = scope.ServiceProvider;
            HandlerContext context = services.GetRequiredService<HandlerContext>();
            context.Begin(envelope, subscription, cancellationToken);
            if (_middleware.Length == 0)
            {
                await handle(services, envelope, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Pipeline(context, handle)().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The middleware, resolved from the handling's scope in registration order, each calling the next; the handler last.</summary>
    private HandlingStep Pipeline(HandlerContext context, Func<IServiceProvider, EventEnvelope, CancellationToken, ValueTask> handle)
    {
        IEventMiddleware[] resolved = new IEventMiddleware[_middleware.Length];
        for (int i = 0; i < resolved.Length; i++)
        {
            resolved[i] = _middleware[i].Resolve(context.Services);
        }

        HandlingStep next = () => handle(context.Services, context.Envelope, context.CancellationToken);
        for (int i = resolved.Length - 1; i >= 0; i--)
        {
            IEventMiddleware middleware = resolved[i];
            HandlingStep inner = next;
            next = () => middleware.InvokeAsync(context, inner);
        }

        return next;
    }
}
