namespace EventBus.Testing;

/// <summary>
/// A thread-safe, ordered record of published events with queries for tests. Shared by
/// <see cref="InMemoryEventPublisher"/> and <see cref="EventBusHarness"/>.
/// </summary>
public sealed class RecordedEvents
{
    private readonly List<EventEnvelope> _events = [];

    /// <summary>Gets a snapshot of every recorded event, in publish order.</summary>
    public IReadOnlyList<EventEnvelope> All
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Gets the number of recorded events.</summary>
    public int Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Gets the recorded events whose type matches <paramref name="typePattern"/> (an exact type, <c>*</c> or <c>#</c> wildcards).</summary>
    /// <param name="typePattern">The type or pattern.</param>
    /// <returns>The matching events, in publish order.</returns>
    public IReadOnlyList<EventEnvelope> OfType(string typePattern) => Where(EventFilter.Pattern(typePattern).Matches);

    /// <summary>Gets the recorded events of one kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The matching events, in publish order.</returns>
    public IReadOnlyList<EventEnvelope> OfKind(EventKind kind) => Where(e => e.Kind == kind);

    /// <summary>Gets the recorded events of one workflow.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <returns>The matching events, in publish order.</returns>
    public IReadOnlyList<EventEnvelope> ForWorkflow(string workflowId) => Where(e => e.WorkflowId == workflowId);

    /// <summary>Gets the recorded events of one correlation.</summary>
    /// <param name="correlationId">The correlation id.</param>
    /// <returns>The matching events, in publish order.</returns>
    public IReadOnlyList<EventEnvelope> ForCorrelation(string correlationId) => Where(e => e.CorrelationId == correlationId);

    /// <summary>Gets the payloads of type <typeparamref name="T"/>, in publish order.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The payloads.</returns>
    public IReadOnlyList<T> Payloads<T>() => [.. All.Where(e => e.Data is T).Select(e => (T)e.Data!)];

    /// <summary>Gets the recorded events that satisfy <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition.</param>
    /// <returns>The matching events, in publish order.</returns>
    public IReadOnlyList<EventEnvelope> Where(Func<EventEnvelope, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return [.. All.Where(predicate)];
    }

    /// <summary>Forgets every recorded event.</summary>
    public void Clear()
    {
        lock (_events)
        {
            _events.Clear();
        }
    }

    /// <summary>Lists the recorded events one per line, for failure messages.</summary>
    /// <returns>The listing.</returns>
    public string Describe()
    {
        IReadOnlyList<EventEnvelope> events = All;
        return events.Count == 0
            ? "  (nothing was published)"
            : string.Join(Environment.NewLine, events.Select((e, i) => $"  {i + 1}. {e.Type} ({e.Kind}, workflow={e.WorkflowId ?? "-"}, phase={e.Phase ?? "-"}, correlation={e.CorrelationId ?? "-"})"));
    }

    internal void Remove(EventEnvelope envelope)
    {
        lock (_events)
        {
            _events.Remove(envelope);
        }
    }

    internal void Add(EventEnvelope envelope)
    {
        lock (_events)
        {
            _events.Add(envelope);
        }
    }
}
