namespace EventBus;

/// <summary>
/// The in-memory dead-letter queue: insertion-ordered, bounded, evicting the oldest when full. A dead letter is
/// removed under the lock before it is redelivered, so concurrent retries deliver it exactly once.
/// </summary>
internal sealed class DeadLetterQueue : IDeadLetterQueue
{
    private readonly ChannelEventBus _bus;
    private readonly Lock _lock = new();
    private readonly LinkedList<DeadLetter> _letters = new();
    private readonly Dictionary<Guid, LinkedListNode<DeadLetter>> _byId = [];
    private long _added;
    private long _evicted;

    public DeadLetterQueue(ChannelEventBus bus, int capacity)
    {
        _bus = bus;
        Capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _letters.Count;
            }
        }
    }

    public int Capacity { get; }

    public long TotalAdded => Interlocked.Read(ref _added);

    public long Evicted => Interlocked.Read(ref _evicted);

    public void Add(DeadLetter letter)
    {
        DeadLetter? evicted = null;
        lock (_lock)
        {
            if (_letters.Count >= Capacity)
            {
                evicted = _letters.First!.Value;
                Remove(_letters.First);
            }

            _byId[letter.Id] = _letters.AddLast(letter);
        }

        Interlocked.Increment(ref _added);
        if (evicted is not null)
        {
            Interlocked.Increment(ref _evicted);
            Log.DeadLetterEvicted(_bus.Logger, Capacity, evicted.Event.Id, evicted.Event.Type, evicted.SubscriberId);
        }
    }

    public IReadOnlyList<DeadLetter> List(DeadLetterQuery? query = null)
    {
        query ??= new DeadLetterQuery();
        Func<DeadLetter, bool> matches = query.ToPredicate();
        lock (_lock)
        {
            return [.. _letters.Where(matches).Take(query.Limit)];
        }
    }

    public IReadOnlyList<DeadLetter> GetByEventId(Guid eventId)
    {
        lock (_lock)
        {
            return [.. _letters.Where(letter => letter.Event.Id == eventId)];
        }
    }

    public bool Retry(Guid deadLetterId)
    {
        DeadLetter letter;
        lock (_lock)
        {
            if (!_byId.TryGetValue(deadLetterId, out LinkedListNode<DeadLetter>? node))
            {
                return false;
            }

            letter = node.Value;
            Subscription subscription = _bus.FindLiveSubscription(letter.SubscriptionId) ?? throw new InvalidOperationException(
                $"Dead letter {deadLetterId} belongs to subscription {letter.SubscriptionId} ({letter.SubscriberId}), which no longer exists or the bus has stopped; the dead letter is kept. Purge it, or publish its event again.");
            Remove(node);
            subscription.Redeliver(letter.Event);
        }

        return true;
    }

    public int RetryAll(DeadLetterQuery? query = null)
    {
        Func<DeadLetter, bool> matches = (query ?? new DeadLetterQuery { Limit = int.MaxValue }).ToPredicate();
        int retried = 0;
        lock (_lock)
        {
            LinkedListNode<DeadLetter>? node = _letters.First;
            while (node is not null)
            {
                LinkedListNode<DeadLetter>? next = node.Next;
                if (matches(node.Value) && _bus.FindLiveSubscription(node.Value.SubscriptionId) is { } subscription)
                {
                    Remove(node);
                    subscription.Redeliver(node.Value.Event);
                    retried++;
                }

                node = next;
            }
        }

        return retried;
    }

    public int Purge(DeadLetterQuery? query = null)
    {
        Func<DeadLetter, bool> matches = (query ?? new DeadLetterQuery { Limit = int.MaxValue }).ToPredicate();
        int purged = 0;
        lock (_lock)
        {
            LinkedListNode<DeadLetter>? node = _letters.First;
            while (node is not null)
            {
                LinkedListNode<DeadLetter>? next = node.Next;
                if (matches(node.Value))
                {
                    Remove(node);
                    purged++;
                }

                node = next;
            }
        }

        return purged;
    }

    private void Remove(LinkedListNode<DeadLetter> node)
    {
        _byId.Remove(node.Value.Id);
        _letters.Remove(node);
    }
}
