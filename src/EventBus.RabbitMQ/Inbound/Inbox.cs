namespace EventBus.RabbitMQ;

/// <summary>
/// Remembers the events this application handled from the broker, by source and id, for a window of time (and up to a
/// number of events), so a redelivery (after a lost acknowledgement, a consumer restart, or a publish retried after a
/// lost confirm) is acknowledged without being handled again. Looked up in memory; with an <see cref="IInboxStore"/> each
/// handled event is also written to the store and the window is read back at start, so it spans process restarts.
/// </summary>
internal sealed class Inbox
{
    private readonly Dictionary<(string Source, Guid Id), DateTimeOffset> _seen = [];
    private readonly Queue<((string Source, Guid Id) Key, DateTimeOffset At)> _order = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly IInboxStore? _store;
    private long _duplicates;

    public Inbox(TimeProvider time, TimeSpan window, int capacity, IInboxStore? store = null)
    {
        _time = time;
        _window = window;
        _capacity = capacity;
        _store = store;
    }

    /// <summary>Gets how many redelivered events were recognised and not handled again.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Gets how many entries were read back from the store at start.</summary>
    public int Restored { get; private set; }

    /// <summary>Reads the window's entries back from the store and forgets older ones there.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        DateTimeOffset since = _time.GetUtcNow() - _window;
        await _store.PruneInboxAsync(since, cancellationToken).ConfigureAwait(false);
        int restored = 0;
        await foreach (InboxEntry entry in _store.ReadInboxAsync(since, cancellationToken).ConfigureAwait(false))
        {
            lock (_lock)
            {
                Remember((entry.Source, entry.Id), entry.HandledAt);
            }

            restored++;
        }

        Restored = restored;
    }

    /// <summary>Tells whether the event was handled within the window; counts it as a duplicate when it was.</summary>
    public bool IsDuplicate(EventEnvelope envelope)
    {
        lock (_lock)
        {
            Expire();
            if (_seen.ContainsKey((envelope.Source, envelope.Id)))
            {
                _duplicates++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Remembers an event once it was handled (and queues it for the store).</summary>
    public ValueTask HandledAsync(EventEnvelope envelope)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            Remember((envelope.Source, envelope.Id), now);
        }

        return _store is null ? ValueTask.CompletedTask : _store.SaveInboxAsync([new InboxEntry(envelope.Source, envelope.Id, now)]);
    }

    /// <summary>Adds an entry and forgets what falls out of the window. Called under the lock.</summary>
    private void Remember((string Source, Guid Id) key, DateTimeOffset at)
    {
        if (_seen.TryAdd(key, at))
        {
            _order.Enqueue((key, at));
        }

        Expire();
    }

    /// <summary>Forgets events past the window, and the oldest beyond the capacity. Called under the lock.</summary>
    private void Expire()
    {
        DateTimeOffset oldest = _time.GetUtcNow() - _window;
        while (_order.TryPeek(out ((string, Guid) Key, DateTimeOffset At) first) && (_order.Count > _capacity || first.At < oldest))
        {
            _order.Dequeue();
            _seen.Remove(first.Key);
        }
    }
}
