namespace EventBus;

/// <summary>One page of a query's results.</summary>
public sealed record EventPage
{
    /// <summary>Gets the events, in the query's order.</summary>
    public required IReadOnlyList<EventEnvelope> Events { get; init; }

    /// <summary>Gets the token of the next page, or null when this is the last.</summary>
    public string? ContinuationToken { get; init; }
}
