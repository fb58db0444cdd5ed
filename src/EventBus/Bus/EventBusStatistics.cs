namespace EventBus;

/// <summary>
/// A snapshot of the bus's counters. Every event accepted is, in the end, delivered, failed, dropped or unhandled
/// for each subscription that matched it; none vanishes uncounted.
/// </summary>
public sealed record EventBusStatistics
{
    /// <summary>Gets the number of events accepted by the bus.</summary>
    public long Published { get; init; }

    /// <summary>Gets the number of events refused because the bus was full (<see cref="BusFullMode.Reject"/>, or <see cref="IEventPublisher.TryPublish"/>).</summary>
    public long Rejected { get; init; }

    /// <summary>Gets the number of events dropped from the bus's queue by <see cref="BusFullMode.DropOldest"/> or <see cref="BusFullMode.DropWrite"/>.</summary>
    public long Dropped { get; init; }

    /// <summary>
    /// Gets the number of events that handlers published while the bus was full in <see cref="BusFullMode.Wait"/>,
    /// admitted over <see cref="EventBusOptions.Capacity"/> instead of waiting, because a handler made to wait for room
    /// could be waiting for itself.
    /// </summary>
    public long AdmittedOverCapacity { get; init; }

    /// <summary>Gets the number of events accepted but not yet routed to subscriptions.</summary>
    public long Backlog { get; init; }

    /// <summary>Gets the number of deliveries and undispatched events still outstanding; zero when the bus is idle.</summary>
    public long Outstanding { get; init; }

    /// <summary>
    /// Gets the places of the bus's capacity held by wait-mode subscriptions whose buffers are full: each stands for an
    /// event such a subscription took beyond its buffer, and goes back to publishers when the subscription catches up.
    /// </summary>
    public long HeldPlaces { get; init; }

    /// <summary>
    /// Gets the deliveries that failed outside their handlers (in the bus itself, or in a metrics or tracing listener):
    /// each such event was dead-lettered as <see cref="DeadLetterReason.Faulted"/>, logged as an error, and its lane went
    /// on. Any such fault makes the bus report itself unhealthy.
    /// </summary>
    public long LaneFaults { get; init; }

    /// <summary>Gets the number of live subscriptions.</summary>
    public int Subscriptions { get; init; }

    /// <summary>Gets the number of deliveries routed to subscriptions, including removed ones.</summary>
    public long Matched { get; init; }

    /// <summary>Gets the number of deliveries whose handler completed successfully.</summary>
    public long Delivered { get; init; }

    /// <summary>Gets the number of deliveries whose handler threw.</summary>
    public long Failed { get; init; }

    /// <summary>Gets the number of deliveries dropped because a subscription's buffer was full.</summary>
    public long SubscriptionDropped { get; init; }

    /// <summary>Gets the number of deliveries discarded because a subscription was removed or the bus stopped past its deadline.</summary>
    public long Unhandled { get; init; }

    /// <summary>Gets the number of deliveries that a subscription's asynchronous predicate turned away.</summary>
    public long Filtered { get; init; }

    /// <summary>Gets the number of deliveries not made because the event had expired (and were dead-lettered, unless a subscription keeps no dead letters).</summary>
    public long Expired { get; init; }

    /// <summary>Gets the number of retry attempts made.</summary>
    public long Retried { get; init; }

    /// <summary>Gets the number of events subscriptions sent to the dead-letter queue (failed or expired).</summary>
    public long DeadLettered { get; init; }

    /// <summary>Gets the number of dead letters held now.</summary>
    public int DeadLetterCount { get; init; }

    /// <summary>Gets the number of dead letters evicted because the dead-letter queue was full.</summary>
    public long DeadLetterEvicted { get; init; }

    /// <summary>Gets the number of dead-letter changes the store failed to take (see <see cref="IDeadLetterQueue.StoreFailures"/>).</summary>
    public long DeadLetterStoreFailures { get; init; }

    /// <summary>Gets the number of dispatch workers running; it equals <see cref="EventBusOptions.WorkerCount"/> while the bus runs.</summary>
    public int WorkersAlive { get; init; }

    /// <summary>
    /// Gets the events waiting to be routed that workers have sorted, per priority. Events a worker has not taken from
    /// its channel yet count only in <see cref="Backlog"/>.
    /// </summary>
    public IReadOnlyDictionary<EventPriority, long> QueueDepthByPriority { get; init; } = new Dictionary<EventPriority, long>();

    /// <summary>Gets the counters, lag and handler duration percentiles of each live subscription.</summary>
    public IReadOnlyList<SubscriptionStatistics> SubscriptionDetails { get; init; } = [];
}
