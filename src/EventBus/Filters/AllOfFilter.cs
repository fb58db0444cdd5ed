namespace EventBus;

/// <summary>Matches events that pass every one of several filters, evaluated in order.</summary>
internal sealed class AllOfFilter(EventFilter[] filters) : EventFilter
{
    public override string Description => string.Join(" and ", filters.Select(f => $"({f.Description})"));

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
