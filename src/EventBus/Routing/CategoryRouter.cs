using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// A category router: one subscription that hands each event to the handler of its category (the first
/// segment of its type: <c>workflow</c>, <c>phase</c>, <c>resource</c>, <c>error</c>, or any other you route). An event
/// of a category without a handler is logged as a warning and counted in <see cref="UnknownCount"/>, never dropped silently.
/// </summary>
public sealed class CategoryRouter : IAsyncDisposable
{
    private readonly Dictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>> _routes;
    private readonly ILogger _logger;
    private long _unknown;

    internal CategoryRouter(IEventSubscriber subscriber, IReadOnlyDictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>> routes, ILogger logger, SubscriptionOptions? options)
    {
        _routes = new Dictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>>(routes, StringComparer.Ordinal);
        _logger = logger;
        Subscription = subscriber.Subscribe(EventFilter.All, RouteAsync, options);
    }

    /// <summary>Gets the subscription that feeds the router.</summary>
    public ISubscription Subscription { get; }

    /// <summary>Gets the number of events whose category had no handler.</summary>
    public long UnknownCount => Interlocked.Read(ref _unknown);

    /// <summary>Removes the router's subscription.</summary>
    /// <returns>A task that completes when no handler runs any more.</returns>
    public ValueTask DisposeAsync() => Subscription.UnsubscribeAsync();

    private ValueTask RouteAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        int dot = envelope.Type.IndexOf('.', StringComparison.Ordinal);
        string category = dot < 0 ? envelope.Type : envelope.Type[..dot];
        if (_routes.TryGetValue(category, out Func<EventEnvelope, CancellationToken, ValueTask>? handler))
        {
            return handler(envelope, cancellationToken);
        }

        Interlocked.Increment(ref _unknown);
        Log.UnknownCategory(_logger, Display.Escape(category), envelope.Id, envelope.Type);
        return ValueTask.CompletedTask;
    }
}
