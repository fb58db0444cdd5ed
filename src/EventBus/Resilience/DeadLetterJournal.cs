using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Mirrors the dead-letter queue into an <see cref="IDeadLetterStore"/>: additions and removals are queued in the order
/// the queue made them and written by one background loop, a run of the same kind in one call, so that handlers and
/// retries never wait on the store. A failed write is counted and logged; the dead letters stay in memory.
/// </summary>
internal sealed class DeadLetterJournal
{
    private const int MaxRun = 1_000;

    private readonly IDeadLetterStore _store;
    private readonly ILogger _logger;
    private readonly Channel<Entry> _entries = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private long _failures;

    public DeadLetterJournal(IDeadLetterStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(WriteLoopAsync);
        }
    }

    public IDeadLetterStore Store => _store;

    /// <summary>Gets the number of dead-letter changes the store failed to take.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Queues a save; called under the queue's lock, so the store sees changes in the queue's order.</summary>
    public void Saved(DeadLetter letter) => _entries.Writer.TryWrite(new Entry(letter, Guid.Empty, null));

    /// <summary>Queues a removal; called under the queue's lock.</summary>
    public void Removed(Guid deadLetterId) => _entries.Writer.TryWrite(new Entry(null, deadLetterId, null));

    /// <summary>Waits until every change queued so far has been written (or has failed and been counted).</summary>
    public Task FlushAsync()
    {
        TaskCompletionSource flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _entries.Writer.TryWrite(new Entry(null, Guid.Empty, flushed));
        return flushed.Task;
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
            if (entry.Flushed is { } flushed)
            {
                await WriteAsync(saves, removals).ConfigureAwait(false);
                flushed.TrySetResult();
                continue;
            }

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

    /// <summary>One change: a save, a removal, or a flush marker.</summary>
    private readonly record struct Entry(DeadLetter? Save, Guid Remove, TaskCompletionSource? Flushed);
}
