namespace EventBus.Testing;

/// <summary>
/// An expectation about published events, read as a sentence:
/// <c>ExpectPublished("workflow.completed").ForWorkflow("wf-1").Once().After("phase.completed")</c>.
/// Narrowing calls (<see cref="ForWorkflow"/>, <see cref="Matching"/>) return the expectation; checking calls throw
/// <see cref="EventAssertionException"/>, listing everything that was published in order, when the expectation fails.
/// </summary>
public sealed class PublishedExpectation
{
    private readonly RecordedEvents _recorded;
    private readonly EventFilter _type;
    private readonly List<(Func<EventEnvelope, bool> Predicate, string Description)> _conditions = [];
    private string? _workflowId;

    internal PublishedExpectation(RecordedEvents recorded, string typePattern)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        _recorded = recorded;
        _type = EventFilter.Pattern(typePattern);
        TypePattern = typePattern;
    }

    /// <summary>Gets the expected type or pattern.</summary>
    public string TypePattern { get; }

    /// <summary>Narrows the expectation to one workflow; <see cref="After"/> then also looks only at that workflow.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <returns>This expectation.</returns>
    public PublishedExpectation ForWorkflow(string workflowId)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        _workflowId = workflowId;
        _conditions.Add((e => e.WorkflowId == workflowId, $"for workflow '{workflowId}'"));
        return this;
    }

    /// <summary>Narrows the expectation to events that satisfy <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition.</param>
    /// <param name="description">Words for the failure message.</param>
    /// <returns>This expectation.</returns>
    public PublishedExpectation Matching(Func<EventEnvelope, bool> predicate, string description = "matching a condition")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _conditions.Add((predicate, description));
        return this;
    }

    /// <summary>Checks that exactly one such event was published.</summary>
    /// <returns>This expectation.</returns>
    public PublishedExpectation Once() => Times(1);

    /// <summary>Checks that no such event was published.</summary>
    /// <returns>This expectation.</returns>
    public PublishedExpectation Never() => Times(0);

    /// <summary>Checks that exactly <paramref name="count"/> such events were published.</summary>
    /// <param name="count">The expected number.</param>
    /// <returns>This expectation.</returns>
    public PublishedExpectation Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int found = Matches().Count;
        if (found != count)
        {
            Fail($"exactly {count} {Noun(count)} {Description()}, but found {found}");
        }

        return this;
    }

    /// <summary>Checks that at least one such event was published.</summary>
    /// <returns>This expectation.</returns>
    public PublishedExpectation AtLeastOnce()
    {
        if (Matches().Count == 0)
        {
            Fail($"at least one event {Description()}, but found none");
        }

        return this;
    }

    /// <summary>
    /// Checks that events of <paramref name="earlierTypePattern"/> were published (in the same workflow, when
    /// <see cref="ForWorkflow"/> was used) and that all of them came before the first such event.
    /// </summary>
    /// <param name="earlierTypePattern">The type or pattern that must come first.</param>
    /// <returns>This expectation.</returns>
    public PublishedExpectation After(string earlierTypePattern)
    {
        EventFilter earlier = EventFilter.Pattern(earlierTypePattern);
        IReadOnlyList<EventEnvelope> all = _recorded.All;
        int first = IndexOf(all, Accepts);
        int lastEarlier = LastIndexOf(all, e => earlier.Matches(e) && (_workflowId is null || e.WorkflowId == _workflowId));
        if (first < 0)
        {
            Fail($"an event {Description()} after '{earlierTypePattern}', but found none");
        }
        else if (lastEarlier < 0)
        {
            Fail($"an event {Description()} after '{earlierTypePattern}', but no '{earlierTypePattern}' was published{WorkflowSuffix()}");
        }
        else if (lastEarlier > first)
        {
            Fail($"every '{earlierTypePattern}'{WorkflowSuffix()} before the first event {Description()}, but #{lastEarlier + 1} came after it (#{first + 1})");
        }

        return this;
    }

    private static int IndexOf(IReadOnlyList<EventEnvelope> events, Func<EventEnvelope, bool> predicate)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (predicate(events[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int LastIndexOf(IReadOnlyList<EventEnvelope> events, Func<EventEnvelope, bool> predicate)
    {
        for (int i = events.Count - 1; i >= 0; i--)
        {
            if (predicate(events[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Noun(int count) => count == 1 ? "event" : "events";

    private bool Accepts(EventEnvelope envelope) => _type.Matches(envelope) && _conditions.TrueForAll(c => c.Predicate(envelope));

    private List<EventEnvelope> Matches() => [.. _recorded.All.Where(Accepts)];

    private string Description() =>
        string.Join(" ", new[] { $"of type '{TypePattern}'" }.Concat(_conditions.Select(c => c.Description)));

    private string WorkflowSuffix() => _workflowId is null ? string.Empty : $" for workflow '{_workflowId}'";

    private void Fail(string expectation) =>
        throw new EventAssertionException($"Expected {expectation}. Published, in order:{Environment.NewLine}{_recorded.Describe()}");
}
