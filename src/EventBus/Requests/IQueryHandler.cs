namespace EventBus;

/// <summary>
/// Answers the queries of type <typeparamref name="TQuery"/>: registered with
/// <see cref="QueryBuilderExtensions.AddQueryHandler{THandler, TQuery, TResponse}(IEventBusBuilder, SubscriptionOptions?)"/> (or found by <c>AddEventHandlers()</c>),
/// resolved from a DI scope per query, with the middleware around it. Its result is published as the successful response;
/// an exception becomes a failed response (<see cref="QueryFailedException"/> for the sender) and counts as a handler failure.
/// </summary>
/// <typeparam name="TQuery">The query type.</typeparam>
/// <typeparam name="TResponse">The answer's type.</typeparam>
public interface IQueryHandler<in TQuery, TResponse>
    where TQuery : IQuery<TResponse>
{
    /// <summary>Answers one query.</summary>
    /// <param name="envelope">The query's event.</param>
    /// <param name="query">Its payload.</param>
    /// <param name="cancellationToken">Cancelled when the bus stops or the handler times out.</param>
    /// <returns>The answer.</returns>
    ValueTask<TResponse> HandleAsync(EventEnvelope envelope, TQuery query, CancellationToken cancellationToken);
}
