namespace EventBus;

/// <summary>Matches events that pass at least one of several filters, evaluated in order.</summary>
internal sealed class AnyOfFilter(EventFilter[] filters) : EventFilter
{
    /// <summary>Gets the parts, so a nested combination of the same kind flattens into its parent.</summary>
    internal EventFilter[] Filters => filters;

    public override string Description => string.Join(" or ", filters.Select(f => $"({f.Description})"));

    /// <summary>Any part may let an event through, so the patterns are all the parts' together, when each part has some.</summary>
    internal override IReadOnlyList<string>? ImplyTypePatterns()
    {
        List<string> patterns = [];
        foreach (EventFilter filter in filters)
        {
            if (filter.ImplyTypePatterns() is not { } implied)
            {
                return null;
            }

            patterns.AddRange(implied);
        }

        return [.. patterns.Distinct(StringComparer.Ordinal)];
    }

    public override bool Matches(EventEnvelope envelope)
    {
        foreach (EventFilter filter in filters)
        {
            if (filter.Matches(envelope))
            {
                return true;
            }
        }

        return false;
    }
}
