using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Saves a durable relay's checkpoint in the background, so the relay reads and sends the next events while the store
/// commits it: one save at a time, each with the latest confirmed position (positions confirmed meanwhile are
/// coalesced into the next save). A save that fails is logged and made again with the next position; stopping makes
/// the last one and reports its failure. A checkpoint that lags behind costs at most some events sent again after a
/// restart, which the receiving inbox drops; it never skips one.
/// </summary>
internal sealed class RelayCheckpoint(IEventLog log, string name, string publisher, ExternalRelayStatistics statistics, ILogger logger)
{
    private readonly Lock _lock = new();
    private Task _saving = Task.CompletedTask;
    private long _wanted;
    private long _saved;
    private bool _running;

    /// <summary>Starts from a position read from the store.</summary>
    public void StartAt(long position)
    {
        lock (_lock)
        {
            (_wanted, _saved) = (position, position);
        }

        statistics.MovedTo(position);
    }

    /// <summary>Records that everything up to <paramref name="position"/> was sent and saves it, unless a save is under way (that one saves it next).</summary>
    public void Confirmed(long position)
    {
        lock (_lock)
        {
            _wanted = position;
            if (_running)
            {
                return;
            }

            _running = true;
        }

        _saving = SaveAsync();
    }

    /// <summary>Waits for the save under way, then saves the latest position if it is not yet (stopping); a failure is thrown.</summary>
    public async Task FlushAsync()
    {
        await _saving.ConfigureAwait(false);
        long position;
        lock (_lock)
        {
            if (_saved == _wanted)
            {
                return;
            }

            position = _wanted;
        }

        await log.SaveCheckpointAsync(name, position, CancellationToken.None).ConfigureAwait(false);
        Saved(position);
    }

    private async Task SaveAsync()
    {
        while (true)
        {
            long position;
            lock (_lock)
            {
                if (_saved == _wanted)
                {
                    _running = false;
                    return;
                }

                position = _wanted;
            }

            try
            {
                await log.SaveCheckpointAsync(name, position, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The position stays wanted: the next confirmed batch, or stopping, saves it again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.RelayCheckpointFailed(logger, exception, publisher, position);
                lock (_lock)
                {
                    _running = false;
                }

                return;
            }

            Saved(position);
        }
    }

    private void Saved(long position)
    {
        lock (_lock)
        {
            _saved = Math.Max(_saved, position);
        }

        statistics.MovedTo(position);
    }
}
