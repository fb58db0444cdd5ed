using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventBus;

/// <summary>Routing helpers: by category and by priority.</summary>
public static class EventRoutingExtensions
{
    /// <summary>Routes every event to the handler of its category (the first segment of its type).</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="routes">Handlers by category, for example <c>workflow</c>, <c>phase</c>, <c>resource</c> and <c>error</c>.</param>
    /// <param name="logger">Where unknown categories are reported, or null.</param>
    /// <param name="options">Settings of the router's subscription, or null.</param>
    /// <returns>The router; dispose it to unsubscribe.</returns>
    public static CategoryRouter RouteByCategory(
        this IEventSubscriber subscriber,
        IReadOnlyDictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>> routes,
        ILogger? logger = null,
        SubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(routes);
        if (routes.Count == 0)
        {
            throw new ArgumentException("RouteByCategory needs at least one category, such as \"workflow\"; with none every event would be unknown.", nameof(routes));
        }

        foreach (KeyValuePair<string, Func<EventEnvelope, CancellationToken, ValueTask>> route in routes)
        {
            EventTypeName.ThrowIfInvalid(route.Key, nameof(routes));
            if (route.Key.Contains('.', StringComparison.Ordinal) || route.Value is null)
            {
                throw new ArgumentException($"Category '{route.Key}' must be one segment, such as \"workflow\", with a handler.", nameof(routes));
            }
        }

        return new CategoryRouter(subscriber, routes, logger ?? NullLogger.Instance, options);
    }

    /// <summary>Routes critical, high and standard (normal and low) events to three handlers, each behind its own subscription.</summary>
    /// <param name="subscriber">The bus.</param>
    /// <param name="critical">Handles <see cref="EventPriority.Critical"/> events.</param>
    /// <param name="high">Handles <see cref="EventPriority.High"/> events.</param>
    /// <param name="standard">Handles <see cref="EventPriority.Normal"/> and <see cref="EventPriority.Low"/> events.</param>
    /// <param name="filter">Narrows the events routed, or null for all.</param>
    /// <returns>The router; dispose it to unsubscribe.</returns>
    public static PriorityRouter RouteByPriority(
        this IEventSubscriber subscriber,
        Func<EventEnvelope, CancellationToken, ValueTask> critical,
        Func<EventEnvelope, CancellationToken, ValueTask> high,
        Func<EventEnvelope, CancellationToken, ValueTask> standard,
        EventFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(critical);
        ArgumentNullException.ThrowIfNull(high);
        ArgumentNullException.ThrowIfNull(standard);
        EventFilter scope = filter ?? EventFilter.All;
        return new PriorityRouter(
            subscriber.Subscribe(scope.And(EventFilter.MinPriority(EventPriority.Critical)), critical, new SubscriptionOptions { SubscriberId = "priority-critical" }),
            subscriber.Subscribe(scope.And(EventFilter.Where(e => e.Priority == EventPriority.High, "priority is High")), high, new SubscriptionOptions { SubscriberId = "priority-high" }),
            subscriber.Subscribe(scope.And(EventFilter.Where(e => e.Priority <= EventPriority.Normal, "priority at most Normal")), standard, new SubscriptionOptions { SubscriberId = "priority-standard" }));
    }
}
