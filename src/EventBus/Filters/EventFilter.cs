namespace EventBus;

/// <summary>
/// Decides which events a subscription receives. Filters are immutable, thread-safe and compose with
/// <see cref="AllOf"/> (or <see cref="And(EventFilter)"/>); <see cref="Description"/> says in words what a filter matches.
/// </summary>
public abstract class EventFilter
{
    private const string MatchEverything = ".*";

    /// <summary>Gets a filter that matches every event.</summary>
    public static EventFilter All { get; } = new MatchAllFilter();

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

    /// <summary>
    /// Creates a filter from an asynchronous predicate. Routing does not wait for it: the
    /// subscription's own lane awaits it before the handler, so it never blocks the publisher or other subscriptions.
    /// Events it rejects are counted in <see cref="SubscriptionCounters.Filtered"/>. Combine it with <see cref="And"/> only.
    /// </summary>
    /// <param name="predicate">Returns <see langword="true"/> for events to handle.</param>
    /// <param name="description">Words describing the predicate, for diagnostics.</param>
    /// <returns>The filter.</returns>
    public static EventFilter WhereAsync(Func<EventEnvelope, CancellationToken, ValueTask<bool>> predicate, string description = "asynchronous predicate") =>
        new AsyncPredicateFilter(predicate, description);

    /// <summary>Creates a filter that matches events whose payload is a <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The filter.</returns>
    public static EventFilter Payload<T>() => PayloadFilter<T>.Instance;

    /// <summary>Creates a filter that matches one or more exact event types.</summary>
    /// <param name="types">Concrete dotted type names.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Types(params string[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        foreach (string type in types)
        {
            EventTypeName.ThrowIfInvalid(type, nameof(types));
        }

        return types.Length == 1 ? new TypeFilter(types[0]) : new PropertyFilter("type", e => e.Type, types, nameof(types));
    }

    /// <summary>
    /// Creates a filter from a regular expression over the event type. It runs on the linear-time engine
    /// (<see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>) with a 100 ms match timeout;
    /// patterns that engine rejects (backreferences, lookarounds, huge repetitions) or longer than 1,000 characters
    /// fail here, with a message that says why.
    /// </summary>
    /// <param name="pattern">The regular expression, such as <c>^order\.(placed|paid)$</c>.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Regex(string pattern) => new RegexFilter("type", e => e.Type, pattern, nameof(pattern));

    /// <summary>Creates a filter that matches events of the given kinds.</summary>
    /// <param name="kinds">The kinds.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Kind(params EventKind[] kinds) => new KindFilter(kinds);

    /// <summary>Creates a filter that matches events from one of the given sources.</summary>
    /// <param name="sources">The source ids.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Source(params string[] sources) => new PropertyFilter("source", e => e.Source, sources, nameof(sources));

    /// <summary>Creates a filter that matches events addressed to one of the given targets.</summary>
    /// <param name="targets">The target ids.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Target(params string[] targets) => new PropertyFilter("target", e => e.Target, targets, nameof(targets));

    /// <summary>Creates a filter that matches events of one workflow.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Workflow(string workflowId) => new PropertyFilter("workflow", e => e.WorkflowId, [workflowId], nameof(workflowId));

    /// <summary>Creates a filter that matches events of one phase.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Phase(string phase) => new PropertyFilter("phase", e => e.Phase, [phase], nameof(phase));

    /// <summary>Creates a filter that matches events of one correlation.</summary>
    /// <param name="correlationId">The correlation id.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Correlation(string correlationId) => new PropertyFilter("correlation", e => e.CorrelationId, [correlationId], nameof(correlationId));

    /// <summary>Creates a filter that matches events at or above a priority.</summary>
    /// <param name="minimum">The lowest priority to receive.</param>
    /// <returns>The filter.</returns>
    public static EventFilter MinPriority(EventPriority minimum) => minimum == EventPriority.Low ? All : new MinimumPriorityFilter(minimum);

    /// <summary>Creates a filter that matches events carrying a metadata key, and when <paramref name="value"/> is given, that value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value to require, or null for any value.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Metadata(string key, string? value = null) => new MetadataFilter(key, value);

    /// <summary>Creates a filter that matches events passing every one of <paramref name="filters"/>.</summary>
    /// <param name="filters">The filters; none for a filter that matches every event.</param>
    /// <returns>The filter.</returns>
    public static EventFilter AllOf(params EventFilter[] filters) => Combine(filters, nameof(filters), all: true);

    /// <summary>Creates a filter that matches events passing at least one of <paramref name="filters"/>.</summary>
    /// <param name="filters">The filters; at least one.</param>
    /// <returns>The filter.</returns>
    public static EventFilter AnyOf(params EventFilter[] filters) => Combine(filters, nameof(filters), all: false);

    /// <summary>Creates a filter that matches events that <paramref name="filter"/> rejects.</summary>
    /// <param name="filter">The filter to negate.</param>
    /// <returns>The filter.</returns>
    public static EventFilter Not(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ThrowIfAsync(filter, nameof(Not), nameof(filter));
        return filter is NotFilter negated ? negated.Inner : new NotFilter(filter);
    }

    /// <summary>
    /// Creates the combined workflow filter with shell-style globs: workflow id and phase by glob (<c>*</c> for any run
    /// of characters, <c>?</c> for one), event type by type pattern (<see cref="Pattern"/>), and a minimum priority.
    /// Every argument defaults to matching all. For regular expressions, use <see cref="RegexCriteria"/>.
    /// </summary>
    /// <param name="workflowGlob">A glob over the whole workflow id, such as <c>order-*</c>; <c>*</c> matches events without one too.</param>
    /// <param name="typePattern">A type pattern such as <c>phase.*</c>.</param>
    /// <param name="phaseGlob">A glob over the whole phase; <c>*</c> matches events without one too.</param>
    /// <param name="minimumPriority">The lowest priority to receive.</param>
    /// <returns>The filter.</returns>
    public static EventFilter GlobCriteria(string workflowGlob = "*", string typePattern = "*", string phaseGlob = "*", EventPriority minimumPriority = EventPriority.Low)
    {
        List<EventFilter> parts = [];
        if (workflowGlob != "*")
        {
            parts.Add(new GlobFilter("workflow", e => e.WorkflowId, workflowGlob));
        }

        parts.Add(Pattern(typePattern));
        if (phaseGlob != "*")
        {
            parts.Add(new GlobFilter("phase", e => e.Phase, phaseGlob));
        }

        parts.Add(MinPriority(minimumPriority));
        return AllOf([.. parts]);
    }

    /// <summary>
    /// Creates the combined workflow filter with regular expressions over the workflow id, the event type and the phase,
    /// and a minimum priority. Each expression searches its value as <c>[[ value =~ pattern ]]</c> does in a shell:
    /// <c>order-[0-9]+</c> matches <c>my-order-42x</c>, so anchor it (<c>^order-[0-9]+$</c>) to match the whole value. A
    /// missing workflow id or phase is matched as the empty string, so the default <c>.*</c> matches every event. The
    /// expressions run on the linear-time engine with the limits of <see cref="Regex"/>. For globs, use
    /// <see cref="GlobCriteria"/>.
    /// </summary>
    /// <param name="workflowRegex">A regular expression over the workflow id, such as <c>^order-[0-9]+$</c>.</param>
    /// <param name="typeRegex">A regular expression over the event type, such as <c>^phase\.(started|completed)$</c>.</param>
    /// <param name="phaseRegex">A regular expression over the phase.</param>
    /// <param name="minimumPriority">The lowest priority to receive.</param>
    /// <returns>The filter.</returns>
    public static EventFilter RegexCriteria(string workflowRegex = MatchEverything, string typeRegex = MatchEverything, string phaseRegex = MatchEverything, EventPriority minimumPriority = EventPriority.Low)
    {
        List<EventFilter> parts = [];
        AddRegex(parts, "workflow", e => e.WorkflowId, workflowRegex, nameof(workflowRegex));
        AddRegex(parts, "type", e => e.Type, typeRegex, nameof(typeRegex));
        AddRegex(parts, "phase", e => e.Phase, phaseRegex, nameof(phaseRegex));
        parts.Add(MinPriority(minimumPriority));
        return AllOf([.. parts]);

        static void AddRegex(List<EventFilter> parts, string field, Func<EventEnvelope, string?> value, string pattern, string paramName)
        {
            // .* matches any value, and a missing one as the empty string: leave it out, so the filter costs nothing.
            if (pattern != MatchEverything)
            {
                parts.Add(new RegexFilter(field, value, pattern, paramName));
            }
        }
    }

    /// <summary>
    /// Gets the type patterns (exact types, or <c>*</c> and <c>#</c> wildcards) that every event passing this filter
    /// matches, or <see langword="null"/> when the filter promises nothing about the type. A transport binds a broker queue
    /// with them; they may be looser than the filter (the filter still decides), never tighter.
    /// </summary>
    public IReadOnlyList<string>? ImpliedTypePatterns => ImplyTypePatterns();

    /// <summary>Works out <see cref="ImpliedTypePatterns"/>; by default from the routing hint.</summary>
    internal virtual IReadOnlyList<string>? ImplyTypePatterns()
    {
        IndexHint hint = GetIndexHint();
        return hint.ExactTypes ?? (hint.Pattern is { } pattern ? [pattern] : null);
    }

    /// <summary>
    /// Tells the router what this filter promises about the event type, so subscriptions that can not match are never
    /// looked at. The default promises nothing; a hint may be looser than the filter, never tighter.
    /// </summary>
    internal virtual IndexHint GetIndexHint() => IndexHint.None;

    /// <summary>
    /// Gathers the asynchronous predicates that the subscription's lane must await. Only filters combined with And can
    /// hold them; Or and Not refuse them when built, because routing could not decide without waiting.
    /// </summary>
    internal virtual void CollectAsyncPredicates(List<AsyncPredicateFilter> predicates)
    {
    }

    /// <summary>Tells whether this filter or one of its parts is an asynchronous predicate.</summary>
    internal bool HasAsyncPredicate()
    {
        List<AsyncPredicateFilter> found = [];
        CollectAsyncPredicates(found);
        return found.Count > 0;
    }

    /// <summary>Tells whether <paramref name="envelope"/> passes the filter.</summary>
    /// <param name="envelope">The event; never null.</param>
    /// <returns><see langword="true"/> when the event should be delivered.</returns>
    public abstract bool Matches(EventEnvelope envelope);

    /// <summary>
    /// Creates a filter that matches only events that pass both this filter and <paramref name="other"/>: the same
    /// filter as <see cref="AllOf"/> of the two, so chains read left to right and flatten into one list.
    /// </summary>
    /// <param name="other">The other filter.</param>
    /// <returns>The combined filter.</returns>
    public EventFilter And(EventFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return AllOf(this, other);
    }

    /// <summary>
    /// Creates a filter that matches events passing this filter or <paramref name="other"/>: the same filter as
    /// <see cref="AnyOf"/> of the two.
    /// </summary>
    /// <param name="other">The other filter.</param>
    /// <returns>The combined filter.</returns>
    public EventFilter Or(EventFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return AnyOf(this, other);
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static void ThrowIfAsync(EventFilter filter, string combinator, string paramName)
    {
        if (filter.HasAsyncPredicate())
        {
            throw new ArgumentException(
                $"The filter '{filter.Description}' holds an asynchronous predicate, which {combinator} can not combine: routing would have to wait for it. Combine asynchronous predicates with And only.",
                paramName);
        }
    }

    private static EventFilter Combine(EventFilter[] filters, string paramName, bool all)
    {
        ArgumentNullException.ThrowIfNull(filters, paramName);
        if (Array.IndexOf(filters, null) is int index and >= 0)
        {
            throw new ArgumentException($"The filters hold null at index {index}; remove it.", paramName);
        }

        if (all)
        {
            // Nested AllOf (a chain of And) flattens into one list: one level of evaluation and of description.
            EventFilter[] parts = [.. filters.SelectMany(f => f is AllOfFilter nested ? nested.Filters : [f]).Where(f => !ReferenceEquals(f, All))];
            return parts.Length switch { 0 => All, 1 => parts[0], _ => new AllOfFilter(parts) };
        }

        if (filters.Length == 0)
        {
            throw new ArgumentException("AnyOf needs at least one filter; with none, nothing could match.", paramName);
        }

        foreach (EventFilter filter in filters)
        {
            ThrowIfAsync(filter, "AnyOf (or Or)", paramName);
        }

        if (filters.Any(f => ReferenceEquals(f, All)))
        {
            return All;
        }

        EventFilter[] alternatives = [.. filters.SelectMany(f => f is AnyOfFilter nested ? nested.Filters : [f])];
        return alternatives.Length == 1 ? alternatives[0] : new AnyOfFilter(alternatives);
    }
}
