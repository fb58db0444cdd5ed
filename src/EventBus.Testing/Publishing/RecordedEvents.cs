namespace EventBus.Testing;

/// <summary>
/// A thread-safe, ordered record of published events with queries for tests. Shared by
/// <see cref="InMemoryEventPublisher"/> and <see cref="EventBusHarness"/>.
/// </summary>
public sealed class RecordedEvents
{
    // Places in publish order. A publisher takes its place before the bus sees the event and fills it once the bus
    // accepted it, so an event a handler publishes in reaction always comes after the event that caused it.
    private readonly List<Place> _events = [];

    /// <summary>Gets a snapshot of every recorded event, in publish order.</summary>
    public IReadOnlyList<EventEnvelope> All
    {
        get
        {
            lock (_events)
            {
                return [.. _events.Where(place => place.Event is not null).Select(place => place.Event!)];
            }
        }
    }

    /// <summary>Gets the number of recorded events.</summary>
    public int Count => All.Count;

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

    /// <summary>Takes <paramref name="count"/> places at the end of the record; they stay empty until filled.</summary>
    internal Place[] Reserve(int count)
    {
        Place[] places = new Place[count];
        lock (_events)
        {
            for (int i = 0; i < count; i++)
            {
                places[i] = new Place();
                _events.Add(places[i]);
            }
        }

        return places;
    }

    /// <summary>Records events in places taken before they were published.</summary>
    internal static void Fill(Place[] places, IReadOnlyList<EventEnvelope> events)
    {
        for (int i = 0; i < places.Length; i++)
        {
            Volatile.Write(ref places[i].Event, events[i]);
        }
    }

    /// <summary>Empties places whose events the bus refused after all.</summary>
    internal static void Vacate(Place[] places)
    {
        foreach (Place place in places)
        {
            Volatile.Write(ref place.Event, null);
        }
    }

    internal void Add(EventEnvelope envelope) => Fill(Reserve(1), [envelope]);

    /// <summary>A place in the record; empty while its event is being published, and for good if the bus refused it.</summary>
    internal sealed class Place
    {
        public EventEnvelope? Event;
    }
}
