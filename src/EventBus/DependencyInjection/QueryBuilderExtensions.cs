using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>Registers typed query handlers, which answer the queries sent with <see cref="QueryClient.SendAsync{TResponse}(IQuery{TResponse})"/>.</summary>
public static class QueryBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> (as scoped, unless already registered) to answer the queries of type
    /// <typeparamref name="TQuery"/>: each query in a fresh DI scope with the middleware around the handler; the answer is
    /// published as the response to the query's sender. <typeparamref name="TQuery"/> joins the <see cref="EventCatalog"/>
    /// as a query; a query type has one handler, so a second registration for it fails. Unless <paramref name="options"/> sets a <see cref="SubscriptionOptions.FullMode"/>, the subscription's
    /// buffer waits for room rather than dropping a query.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <typeparam name="TQuery">The query type.</typeparam>
    /// <typeparam name="TResponse">The answer's type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="options">Per-subscription settings; the subscriber id defaults to the handler's type name.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="TQuery"/> has a handler already.</exception>
    public static IEventBusBuilder AddQueryHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TQuery, TResponse>(
        this IEventBusBuilder builder,
        SubscriptionOptions? options = null)
        where THandler : class, IQueryHandler<TQuery, TResponse>
        where TQuery : IQuery<TResponse>
    {
        ArgumentNullException.ThrowIfNull(builder);
        string queryType = EventTypeDescriptor.For<TQuery>().Type;
        foreach (ServiceDescriptor service in builder.Services)
        {
            if (service.ImplementationInstance is QueryHandlerRegistration { QueryType: var registeredQuery, HandlerType: var other } && registeredQuery == typeof(TQuery))
            {
                // One answer per query: a second handler would race the first, and its response would be thrown away.
                throw new InvalidOperationException(other == typeof(THandler)
                    ? $"Query handler '{typeof(THandler).FullName}' is registered already for '{typeof(TQuery).FullName}'; register it once (AddEventHandlers() registers it too)."
                    : $"Query '{typeof(TQuery).FullName}' has two handlers, '{other.FullName}' and '{typeof(THandler).FullName}'; a query is answered by one handler.");
            }
        }

        builder.Services.AddSingleton(new QueryHandlerRegistration(typeof(TQuery), typeof(THandler)));
        SubscriptionOptions registered = options?.Clone() ?? new SubscriptionOptions();
        registered.SubscriberId ??= typeof(THandler).Name;
        registered.FullMode ??= SubscriptionFullMode.Wait;
        registered.Validate(nameof(options));
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(new CatalogRegistration(static catalog => catalog.Register(typeof(TQuery), EventKind.Query)));
        builder.Services.AddSingleton(new HandlerRegistration((provider, bus) =>
        {
            SubscriptionOptions effective = EventBusBuilderExtensions.Configured<THandler>(provider, registered);
            ScopedHandlerInvoker invoker = new(provider, static (_, _, _) => ValueTask.CompletedTask);
            // The bus subscribing the handler publishes the answers; resolving the publisher here would ask DI for the bus
            // it is still building.
            IEventPublisher publisher = bus as IEventPublisher ?? provider.GetRequiredService<IEventPublisher>();
            MessagePublisher responses = new(publisher, provider.GetRequiredService<IOptions<EventPublisherOptions>>().Value);
            EventFilter filter = EventFilter.Types(queryType).And(EventFilter.Kind(EventKind.Query)).And(EventFilter.Payload<TQuery>());
            return invoker.Subscribe(bus, filter, effective, (query, cancellationToken) => QueryAnswer.AnswerAsync(responses, query, (e, c) => AnswerAsync<THandler, TQuery, TResponse>(invoker, e, c), cancellationToken));
        }));
        return builder;
    }

    /// <summary>Runs the handler through the invoker (scope, context, middleware) and keeps its answer.</summary>
    private static async ValueTask<object?> AnswerAsync<THandler, TQuery, TResponse>(ScopedHandlerInvoker invoker, EventEnvelope query, CancellationToken cancellationToken)
        where THandler : class, IQueryHandler<TQuery, TResponse>
        where TQuery : IQuery<TResponse>
    {
        TResponse? answer = default;
        await invoker.RunAsync(
            query,
            async (services, envelope, token) => answer = await services.GetRequiredService<THandler>().HandleAsync(envelope, (TQuery)envelope.Data!, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return answer;
    }
}
