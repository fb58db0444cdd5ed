namespace EventBus;

/// <summary>Matches events that pass every one of several filters, evaluated in order.</summary>
internal sealed class AllOfFilter(EventFilter[] filters) : EventFilter
{
    /// <summary>Gets the parts, so a nested combination of the same kind flattens into its parent.</summary>
    internal EventFilter[] Filters => filters;

    public override string Description => string.Join(" and ", filters.Select(f => $"({f.Description})"));

    /// <summary>Every part must let an event through, so any part's patterns bound them: the first part that has some.</summary>
    internal override IReadOnlyList<string>? ImplyTypePatterns() => Filters.Select(filter => filter.ImplyTypePatterns()).FirstOrDefault(patterns => patterns is not null);

    internal override IndexHint GetIndexHint()
    {
        IndexHint hint = IndexHint.None;
        foreach (EventFilter filter in filters)
        {
            hint = IndexHints.Tightest(hint, filter.GetIndexHint());
        }

        return hint;
    }

    internal override void CollectAsyncPredicates(List<AsyncPredicateFilter> predicates)
    {
        foreach (EventFilter filter in filters)
        {
            filter.CollectAsyncPredicates(predicates);
        }
    }

    public override bool Matches(EventEnvelope envelope)
    {
        foreach (EventFilter filter in filters)
        {
            if (!filter.Matches(envelope))
            {
                return false;
            }
        }

        return true;
    }
}
