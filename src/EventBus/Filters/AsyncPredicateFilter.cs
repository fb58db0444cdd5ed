namespace EventBus;

/// <summary>
/// An asynchronous predicate. Routing lets every event through (it never waits on user code); the subscription's
/// own lane awaits the predicate before the handler, so a slow predicate delays only its own subscription.
/// </summary>
internal sealed class AsyncPredicateFilter : EventFilter
{
    public AsyncPredicateFilter(Func<EventEnvelope, CancellationToken, ValueTask<bool>> predicate, string description)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Predicate = predicate;
        Description = Display.Escape(description);
    }

    public Func<EventEnvelope, CancellationToken, ValueTask<bool>> Predicate { get; }

    public override string Description { get; }

    public override bool Matches(EventEnvelope envelope) => true;

    internal override void CollectAsyncPredicates(List<AsyncPredicateFilter> predicates) => predicates.Add(this);
}
