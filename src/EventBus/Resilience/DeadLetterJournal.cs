using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Mirrors the dead-letter queue into an <see cref="IDeadLetterStore"/>: additions and removals are queued in the order
/// the queue made them and written by one background loop, a run of the same kind in one call, so that handlers and
/// retries never wait on the store. A failed write is counted and logged; the dead letters stay in memory. The queue of
/// changes is bounded (<see cref="BoundFor"/>): a store further behind than that has changes counted as failed instead
/// of memory growing without end. The bus completes the journal when it stops, after the last dead letter of the drain,
/// and waits for the loop to write what it holds.
/// </summary>
internal sealed class DeadLetterJournal
{
    private const int MaxRun = 1_000;

    private readonly IDeadLetterStore _store;
    private readonly ILogger _logger;
    private readonly Channel<Entry> _entries;
    private readonly Task _writing;
    private long _failures;
    private volatile bool _completed;

    public DeadLetterJournal(IDeadLetterStore store, ILogger logger, int bound)
    {
        _store = store;
        _logger = logger;
        _entries = Channel.CreateBounded<Entry>(new BoundedChannelOptions(bound) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using (ExecutionContext.SuppressFlow())
        {
            _writing = Task.Run(WriteLoopAsync);
        }
    }

    public IDeadLetterStore Store => _store;

    /// <summary>
    /// The most changes queued for a dead-letter queue of <paramref name="capacity"/> places: two per place (a save and
    /// the removal of the letter it evicts), and never fewer than 4,096, since a purge or a run of evictions comes at once.
    /// </summary>
    public static int BoundFor(int capacity) => Math.Max(2 * capacity, 4_096);

    /// <summary>Gets the number of dead-letter changes the store failed to take.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Queues a save; called under the queue's lock, so the store sees changes in the queue's order.</summary>
    public void Saved(DeadLetter letter) => Queue(new Entry(letter, Guid.Empty));

    /// <summary>Queues a removal; called under the queue's lock.</summary>
    public void Removed(Guid deadLetterId) => Queue(new Entry(null, deadLetterId));

    /// <summary>Takes no more changes, and completes once the loop has written (or counted as failed) every one queued.</summary>
    public Task CompleteAsync()
    {
        _completed = true;
        _entries.Writer.TryComplete();
        return _writing;
    }

    /// <summary>Queues a change without waiting (the caller holds the queue's lock); one that finds no room, or the journal completed, is counted and logged.</summary>
    private void Queue(Entry entry)
    {
        if (!_entries.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _failures);
            Log.DeadLetterChangeNotQueued(_logger, _completed ? "the bus has stopped" : "the store is too far behind");
        }
    }

    public void CountFailure(Exception exception, int count)
    {
        Interlocked.Add(ref _failures, count);
        Log.DeadLetterStoreFailed(_logger, exception, count);
    }

    private async Task WriteLoopAsync()
    {
        List<Entry> taken = [];
        while (await _entries.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (taken.Count < MaxRun && _entries.Reader.TryRead(out Entry entry))
            {
                taken.Add(entry);
            }

            await WriteRunsAsync(taken).ConfigureAwait(false);
            taken.Clear();
        }
    }

    /// <summary>Writes consecutive saves as one call and consecutive removals as another, keeping their order.</summary>
    private async Task WriteRunsAsync(List<Entry> entries)
    {
        List<DeadLetter> saves = [];
        List<Guid> removals = [];
        foreach (Entry entry in entries)
        {
            bool save = entry.Save is not null;
            if (save ? removals.Count > 0 : saves.Count > 0)
            {
                await WriteAsync(saves, removals).ConfigureAwait(false);
            }

            if (save)
            {
                saves.Add(entry.Save!);
            }
            else
            {
                removals.Add(entry.Remove);
            }
        }

        await WriteAsync(saves, removals).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<DeadLetter> saves, List<Guid> removals)
    {
        if (saves.Count > 0)
        {
            await SaveAsync(saves).ConfigureAwait(false);
        }
        else if (removals.Count > 0)
        {
            await TryAsync(() => _store.RemoveDeadLettersAsync([.. removals]), removals.Count).ConfigureAwait(false);
        }

        saves.Clear();
        removals.Clear();
    }

    /// <summary>Saves a run in one call; when that fails, one by one, so that one letter the store refuses costs only itself.</summary>
    private async Task SaveAsync(List<DeadLetter> saves)
    {
        if (saves.Count == 1 || !await TryAsync(() => _store.SaveDeadLettersAsync([.. saves]), count: 0).ConfigureAwait(false))
        {
            foreach (DeadLetter letter in saves)
            {
                await TryAsync(() => _store.SaveDeadLettersAsync([letter]), count: 1).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs one write; a failure is counted <paramref name="count"/> times and logged (a zero count defers both to the caller).</summary>
    private async Task<bool> TryAsync(Func<ValueTask> write, int count)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // A store failure must not stop the journal; it is counted and logged, and the dead letters stay in memory.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (count > 0)
            {
                CountFailure(exception, count);
            }

            return false;
        }
    }

    /// <summary>One change: a save or a removal.</summary>
    private readonly record struct Entry(DeadLetter? Save, Guid Remove);
}
