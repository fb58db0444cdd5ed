namespace EventBus;

/// <summary>One page of a query's results.</summary>
/// <param name="Events">The events, in the query's order.</param>
/// <param name="ContinuationToken">The token of the next page, or null when this is the last.</param>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Events, string? ContinuationToken);
