namespace EventBus;

/// <summary>
/// Decides which events a subscription receives. Filters are immutable, thread-safe and compose with
/// <see cref="And(EventFilter)"/>; <see cref="Description"/> says in words what a filter matches.
/// </summary>
public abstract class EventFilter
{
    /// <summary>Gets a filter that matches every event.</summary>
    public static EventFilter All { get; } = new AllFilter();

    /// <summary>Gets a readable description of what the filter matches, for diagnostics.</summary>
    public abstract string Description { get; }

    /// <summary>Creates a filter that matches one exact event type.</summary>
    /// <param name="type">A concrete dotted type name such as <c>workflow.started</c>.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Type(string type) => new TypeFilter(type);

    /// <summary>
    /// Creates a filter from a type pattern: an exact name (<c>workflow.started</c>), <c>*</c> for one segment
    /// (<c>workflow.*</c>, <c>*.created</c>), <c>#</c> for any number of segments (<c>workflow.#</c>); a lone
    /// <c>*</c> or <c>#</c> matches every event. Matching is ordinal and case-sensitive.
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Pattern(string pattern)
    {
        EventTypeName.ThrowIfInvalidPattern(pattern, nameof(pattern));
        if (pattern is "*" or "#")
        {
            return All;
        }

        return pattern.Contains(EventTypeName.SingleSegmentWildcard, StringComparison.Ordinal)
            || pattern.Contains(EventTypeName.MultiSegmentWildcard, StringComparison.Ordinal)
            ? new PatternFilter(pattern)
            : new TypeFilter(pattern);
    }

    /// <summary>Creates a filter from a synchronous predicate.</summary>
    /// <param name="predicate">Returns <see langword="true"/> for events to receive. It must be fast and must not block.</param>
    /// <param name="description">Words describing the predicate, for diagnostics.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Where(Func<EventEnvelope, bool> predicate, string description = "custom predicate") =>
        new PredicateFilter(predicate, description);

    /// <summary>Creates a filter that matches events whose payload is a <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The filter.</returns>
    public static EventFilter Payload<T>() => PayloadFilter<T>.Instance;

    /// <summary>Tells whether <paramref name="envelope"/> passes the filter.</summary>
    /// <param name="envelope">The event; never null.</param>
    /// <returns><see langword="true"/> when the event should be delivered.</returns>
    public abstract bool Matches(EventEnvelope envelope);

    /// <summary>Creates a filter that matches only events that pass both this filter and <paramref name="other"/>.</summary>
    /// <param name="other">The other filter.</param>
    /// <returns>The combined filter.</returns>
    public EventFilter And(EventFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, All))
        {
            return other;
        }

        return ReferenceEquals(other, All) ? this : new AndFilter(this, other);
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
