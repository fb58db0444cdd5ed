namespace EventBus.RabbitMQ;

/// <summary>
/// Remembers the events this application handled from the broker, by source and id, for a window of time (and up to a
/// number of events), so a redelivery (after a lost acknowledgement, a consumer restart, or a publish retried after a
/// lost confirm) is acknowledged without being handled again. Kept in memory: it spans redeliveries within one process.
/// </summary>
internal sealed class Inbox
{
    private readonly Dictionary<(string Source, Guid Id), long> _seen = [];
    private readonly Queue<((string Source, Guid Id) Key, long At)> _order = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private long _duplicates;

    public Inbox(TimeProvider time, TimeSpan window, int capacity)
    {
        _time = time;
        _window = window;
        _capacity = capacity;
    }

    /// <summary>Gets how many redelivered events were recognised and not handled again.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

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

    /// <summary>Remembers an event once it was handled.</summary>
    public void Handled(EventEnvelope envelope)
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            (string, Guid) key = (envelope.Source, envelope.Id);
            if (_seen.TryAdd(key, now))
            {
                _order.Enqueue((key, now));
            }

            Expire();
        }
    }

    /// <summary>Forgets events past the window, and the oldest beyond the capacity. Called under the lock.</summary>
    private void Expire()
    {
        while (_order.TryPeek(out ((string, Guid) Key, long At) oldest)
            && (_order.Count > _capacity || _time.GetElapsedTime(oldest.At) > _window))
        {
            _order.Dequeue();
            _seen.Remove(oldest.Key);
        }
    }
}
