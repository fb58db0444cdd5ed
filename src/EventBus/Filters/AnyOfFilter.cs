namespace EventBus;

/// <summary>Matches events that pass at least one of several filters, evaluated in order.</summary>
internal sealed class AnyOfFilter(EventFilter[] filters) : EventFilter
{
    /// <summary>Gets the parts, so a nested combination of the same kind flattens into its parent.</summary>
    internal EventFilter[] Filters => filters;

    public override string Description => string.Join(" or ", filters.Select(f => $"({f.Description})"));

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
