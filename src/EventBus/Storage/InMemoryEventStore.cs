
namespace EventBus;

/// <summary>
/// A bounded in-memory <see cref="IEventStore"/>: the default store, with nothing to install. When it holds
/// <see cref="Capacity"/> events, appending evicts the oldest (counted in <see cref="Evicted"/>). Everything is
/// durable as soon as it is appended, so both persistence levels behave alike; nothing survives the process.
/// </summary>
public sealed partial class InMemoryEventStore : IEventStore, IDeadLetterStore
{
    /// <summary>The default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock _lock = new();

    // Append order; entries before _head were evicted or pruned and are compacted away in bulk.
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<Guid, Entry> _byId = [];
    private readonly TimeProvider _time;
    private int _head;
    private long _nextPosition = 1;
    private long _evicted;

    /// <summary>Initializes a new instance of the <see cref="InMemoryEventStore"/> class.</summary>
    /// <param name="capacity">The most events held at once.</param>
    /// <param name="timeProvider">The clock that <see cref="PruneAsync"/> measures ages by; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryEventStore(int capacity = DefaultCapacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the most events held at once.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of events evicted because the store was full.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <inheritdoc />
    public ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        StoreGuards.ThrowIfNotStorable(level);
        lock (_lock)
        {
            Add(envelope);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidBatch(envelopes);
        StoreGuards.ThrowIfNotStorable(level);
        lock (_lock)
        {
            foreach (EventEnvelope envelope in envelopes)
            {
                Add(envelope);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<EventEnvelope?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_byId.TryGetValue(eventId, out Entry? entry) ? entry.Envelope : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long? after = query.Validate();
        Func<EventEnvelope, bool> matches = query.ToPredicate();
        List<EventEnvelope> page = [];
        long last = 0;
        bool more = false;
        lock (_lock)
        {
            bool ascending = query.Order == EventOrder.Ascending;
            int start = after is { } position ? IndexAfter(position, ascending) : (ascending ? _head : _entries.Count - 1);
            for (int i = start; ascending ? i < _entries.Count : i >= _head; i += ascending ? 1 : -1)
            {
                Entry entry = _entries[i];
                if (!matches(entry.Envelope))
                {
                    continue;
                }

                if (page.Count == query.PageSize)
                {
                    more = true;
                    break;
                }

                page.Add(entry.Envelope);
                last = entry.Position;
            }
        }

        return ValueTask.FromResult(new EventPage { Events = page, ContinuationToken = more ? EventQuery.TokenAfter(last) : null });
    }

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> ReadWorkflowAsync(string workflowId, DateTimeOffset? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return this.ReadAllAsync(new EventQuery { WorkflowId = workflowId, From = from, PageSize = EventQuery.MaxPageSize }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult((long)(_entries.Count - _head));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> PruneAsync(EventRetention retention, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidRetention(retention);
        DateTimeOffset? cutoff = retention.MaxAge is { } age ? _time.GetUtcNow() - age : null;
        long removed = 0;
        lock (_lock)
        {
            while (_head < _entries.Count &&
                ((cutoff is { } oldest && _entries[_head].Envelope.Timestamp < oldest) || (retention.MaxCount is { } max && _entries.Count - _head > max)))
            {
                RemoveOldest();
                removed++;
            }

            Compact();
        }

        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Add(EventEnvelope envelope)
    {
        if (_byId.ContainsKey(envelope.Id))
        {
            return; // Appending is idempotent by event id.
        }

        if (_entries.Count - _head >= Capacity)
        {
            RemoveOldest();
            Interlocked.Increment(ref _evicted);
            Compact();
        }

        Entry entry = new(_nextPosition++, envelope);
        _entries.Add(entry);
        _byId[envelope.Id] = entry;
    }

    private void RemoveOldest()
    {
        _byId.Remove(_entries[_head].Envelope.Id);
        _entries[_head] = null!;
        _head++;
    }

    // Removing from the front of a list is linear, so evicted entries are dropped in bulk once they are half the list.
    private void Compact()
    {
        if (_head > 0 && _head >= _entries.Count / 2)
        {
            _entries.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>Finds where a page continues: the first index past <paramref name="position"/> in the query's direction.</summary>
    private int IndexAfter(long position, bool ascending) =>
        ascending ? FirstIndexWhere(position, orAbove: false) : FirstIndexWhere(position, orAbove: true) - 1;

    /// <summary>Binary search for the first index whose position is above (or, with <paramref name="orAbove"/>, at or above) <paramref name="position"/>.</summary>
    private int FirstIndexWhere(long position, bool orAbove)
    {
        int low = _head, high = _entries.Count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            long current = _entries[middle].Position;
            if (current < position || (!orAbove && current == position))
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private sealed record Entry(long Position, EventEnvelope Envelope);
}
