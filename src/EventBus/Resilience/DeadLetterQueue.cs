namespace EventBus;

/// <summary>
/// The in-memory dead-letter queue: insertion-ordered, bounded, evicting the oldest when full. A dead letter is
/// removed under the lock before it is redelivered, so concurrent retries deliver it exactly once. With a journal,
/// every addition and removal is mirrored into the store, and the store's dead letters are restored at start.
/// </summary>
internal sealed class DeadLetterQueue : IDeadLetterQueue
{
    private readonly ChannelEventBus _bus;
    private readonly DeadLetterJournal? _journal;
    private readonly Lock _lock = new();
    private readonly LinkedList<DeadLetter> _letters = new();
    private readonly Dictionary<Guid, LinkedListNode<DeadLetter>> _byId = [];
    private long _added;
    private long _evicted;
    private long _restored;

    // The one read of the store's dead letters at start; guarded by _lock.
    private Task? _restore;

    public DeadLetterQueue(ChannelEventBus bus, int capacity, DeadLetterJournal? journal = null)
    {
        _bus = bus;
        Capacity = capacity;
        _journal = journal;
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

    public long Restored => Interlocked.Read(ref _restored);

    public long StoreFailures => _journal?.Failures ?? 0;

    public void Add(DeadLetter letter)
    {
        DeadLetter? evicted;
        lock (_lock)
        {
            evicted = Insert(letter);
            _journal?.Saved(letter);
        }

        Interlocked.Increment(ref _added);
        ReportEviction(evicted);
    }

    /// <summary>
    /// Reads the store's dead letters back into the queue before the bus starts. Concurrent starts share one read; a
    /// cancelled read is forgotten, so that the next start reads again (letters already restored are skipped by id).
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_journal is not { } journal)
        {
            return;
        }

        Task restore;
        lock (_lock)
        {
            restore = _restore ??= Task.Run(() => RestoreCoreAsync(journal, cancellationToken), CancellationToken.None);
        }

        try
        {
            await restore.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_restore, restore))
                {
                    _restore = null;
                }
            }

            throw;
        }
    }

    private async Task RestoreCoreAsync(DeadLetterJournal journal, CancellationToken cancellationToken)
    {
        int restored = 0;
        try
        {
            await foreach (DeadLetter letter in journal.Store.ReadDeadLettersAsync(cancellationToken).ConfigureAwait(false))
            {
                DeadLetter? evicted;
                lock (_lock)
                {
                    if (_byId.ContainsKey(letter.Id))
                    {
                        continue;
                    }

                    // An eviction here also reaches the store, so the store never holds more than the queue can.
                    evicted = Insert(letter);
                }

                restored++;
                ReportEviction(evicted);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A store that can not be read must not keep the bus from starting; what it holds stays in the store.
            journal.CountFailure(exception, 1);
            Log.DeadLetterRestoreFailed(_bus.Logger, exception);
        }
        finally
        {
            Interlocked.Add(ref _restored, restored);
            if (restored > 0)
            {
                Log.DeadLettersRestored(_bus.Logger, restored);
            }
        }
    }

    /// <summary>The bus has stopped: the store gets every change made so far, and none after (those are counted as store failures).</summary>
    public Task CompleteAsync() => _journal?.CompleteAsync() ?? Task.CompletedTask;

    public IReadOnlyList<DeadLetter> List(DeadLetterQuery? query = null)
    {
        query ??= new DeadLetterQuery();
        Func<DeadLetter, bool> matches = query.ToPredicate();
        lock (_lock)
        {
            return [.. _letters.Where(matches).Take(query.Limit ?? int.MaxValue)];
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
            Subscription subscription = FindOwner(letter) ?? throw new InvalidOperationException(letter.SubscriptionId == Guid.Empty
                ? $"Dead letter {deadLetterId} was restored from the store for subscriber '{letter.SubscriberId}', and no live subscription has that SubscriberId (or the bus has stopped); the dead letter is kept. Subscribe with SubscriptionOptions.SubscriberId = \"{letter.SubscriberId}\", or purge it."
                : $"Dead letter {deadLetterId} belongs to subscription {letter.SubscriptionId} ({letter.SubscriberId}), which no longer exists or the bus has stopped; the dead letter is kept. Purge it, or publish its event again.");
            Remove(node);
            subscription.Redeliver(letter.Event);
        }

        return true;
    }

    public int RetryAll(DeadLetterQuery? query = null)
    {
        query ??= new DeadLetterQuery();
        Func<DeadLetter, bool> matches = query.ToPredicate();
        int limit = query.Limit ?? int.MaxValue;
        int retried = 0;
        lock (_lock)
        {
            LinkedListNode<DeadLetter>? node = _letters.First;
            while (node is not null && retried < limit)
            {
                LinkedListNode<DeadLetter>? next = node.Next;
                if (matches(node.Value) && FindOwner(node.Value) is { } subscription)
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

    public bool Purge(Guid deadLetterId)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(deadLetterId, out LinkedListNode<DeadLetter>? node))
            {
                return false;
            }

            Remove(node);
            return true;
        }
    }

    public int PurgeAll(DeadLetterQuery? query = null)
    {
        query ??= new DeadLetterQuery();
        Func<DeadLetter, bool> matches = query.ToPredicate();
        int limit = query.Limit ?? int.MaxValue;
        int purged = 0;
        lock (_lock)
        {
            LinkedListNode<DeadLetter>? node = _letters.First;
            while (node is not null && purged < limit)
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

    /// <summary>Adds a letter under the lock, evicting the oldest when full; returns the evicted one.</summary>
    private DeadLetter? Insert(DeadLetter letter)
    {
        DeadLetter? evicted = null;
        if (_letters.Count >= Capacity)
        {
            evicted = _letters.First!.Value;
            Remove(_letters.First);
        }

        _byId[letter.Id] = _letters.AddLast(letter);
        return evicted;
    }

    private void ReportEviction(DeadLetter? evicted)
    {
        if (evicted is not null)
        {
            Interlocked.Increment(ref _evicted);
            Log.DeadLetterEvicted(_bus.Logger, Capacity, evicted.Event.Id, evicted.Event.Type, evicted.SubscriberId);
        }
    }

    /// <summary>The live subscription a retry goes to: the same one, or for a restored letter the one with its subscriber id.</summary>
    private Subscription? FindOwner(DeadLetter letter) => letter.SubscriptionId == Guid.Empty
        ? _bus.FindLiveSubscription(letter.SubscriberId)
        : _bus.FindLiveSubscription(letter.SubscriptionId);

    /// <summary>Removes a letter under the lock; every removal (retry, purge, eviction) reaches the store.</summary>
    private void Remove(LinkedListNode<DeadLetter> node)
    {
        _byId.Remove(node.Value.Id);
        _letters.Remove(node);
        _journal?.Removed(node.Value.Id);
    }
}
