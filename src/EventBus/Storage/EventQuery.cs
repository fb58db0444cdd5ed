using System.Globalization;

namespace EventBus;

/// <summary>Selects stored events. Every criterion left null matches everything; criteria combine with AND.</summary>
public sealed class EventQuery
{
    /// <summary>The most events one page may hold.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Gets or sets an exact type or a pattern (see <see cref="EventFilter.Pattern"/>).</summary>
    public string? TypePattern { get; set; }

    /// <summary>Gets or sets the kind.</summary>
    public EventKind? Kind { get; set; }

    /// <summary>Gets or sets the source.</summary>
    public string? Source { get; set; }

    /// <summary>Gets or sets the target.</summary>
    public string? Target { get; set; }

    /// <summary>Gets or sets the workflow id.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>Gets or sets the correlation id.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>Gets or sets the earliest event timestamp, inclusive.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Gets or sets the latest event timestamp, exclusive.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>
    /// Gets or sets the most events one <see cref="IEventStore.QueryAsync"/> call returns, from 1 to
    /// <see cref="MaxPageSize"/>; the page's <see cref="EventPage.ContinuationToken"/> continues. Readers that go through
    /// every page (a replay, <c>ReadAllAsync</c>) read in pages of this size; to stop after a number of events, use
    /// <see cref="ReplayOptions.Limit"/>.
    /// </summary>
    /// <value>The default value is 100.</value>
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets the order.</summary>
    /// <value>The default value is <see cref="EventOrder.Ascending"/>.</value>
    public EventOrder Order { get; set; }

    /// <summary>Gets or sets where to continue: the <see cref="EventPage.ContinuationToken"/> of the previous page, or null for the first page.</summary>
    public string? ContinuationToken { get; set; }

    /// <summary>Checks the query and decodes its continuation token into the last position already returned.</summary>
    /// <returns>The last position returned before, or null for the first page.</returns>
    /// <exception cref="ArgumentException">The page size is out of range, the pattern is invalid, or the token is not one a store issued.</exception>
    public long? Validate()
    {
        if (PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, $"EventQuery.PageSize is {PageSize}; use 1 to {MaxPageSize} and page with ContinuationToken.");
        }

        if (TypePattern is not null)
        {
            _ = EventFilter.Pattern(TypePattern);
        }

        if (ContinuationToken is null)
        {
            return null;
        }

        return ContinuationToken.StartsWith(TokenPrefix, StringComparison.Ordinal)
            && long.TryParse(ContinuationToken.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long position)
            ? position
            : throw new ArgumentException($"Continuation token '{ContinuationToken}' was not issued by an event store; pass the ContinuationToken of the previous page, or null for the first.", nameof(ContinuationToken));
    }

    /// <summary>Builds a predicate over envelopes for stores that filter in memory.</summary>
    /// <returns>The predicate.</returns>
    public Func<EventEnvelope, bool> ToPredicate()
    {
        EventFilter? type = TypePattern is null ? null : EventFilter.Pattern(TypePattern);
        return e =>
            (type is null || type.Matches(e)) &&
            (Kind is null || e.Kind == Kind) &&
            (Source is null || string.Equals(e.Source, Source, StringComparison.Ordinal)) &&
            (Target is null || string.Equals(e.Target, Target, StringComparison.Ordinal)) &&
            (WorkflowId is null || string.Equals(e.WorkflowId, WorkflowId, StringComparison.Ordinal)) &&
            (CorrelationId is null || string.Equals(e.CorrelationId, CorrelationId, StringComparison.Ordinal)) &&
            (From is null || e.Timestamp >= From) &&
            (To is null || e.Timestamp < To);
    }

    /// <summary>Copies the query, so that paging one copy leaves the original as it was.</summary>
    /// <returns>The copy.</returns>
    public EventQuery Copy() => (EventQuery)MemberwiseClone();

    /// <summary>Encodes the position of a page's last event as the token of the next page.</summary>
    /// <param name="position">The last position returned.</param>
    /// <returns>The token.</returns>
    public static string TokenAfter(long position) => TokenPrefix + position.ToString(CultureInfo.InvariantCulture);

    private const string TokenPrefix = "p:";
}
