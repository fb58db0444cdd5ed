namespace EventBus;

/// <summary>Matches events for which a user-supplied predicate returns true.</summary>
internal sealed class PredicateFilter : EventFilter
{
    private readonly Func<EventEnvelope, bool> _predicate;

    public PredicateFilter(Func<EventEnvelope, bool> predicate, string description)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _predicate = predicate;
        Description = Display.Escape(description);
    }

    public override string Description { get; }

    public override bool Matches(EventEnvelope envelope) => _predicate(envelope);
}
