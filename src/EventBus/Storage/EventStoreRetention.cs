using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>
/// Applies <see cref="EventStoreOptions.Retention"/> every <see cref="EventStoreOptions.RetentionInterval"/> while the
/// application runs, on the bus's clock. Passes are due at fixed times from the start (a slow pass does not push the
/// next ones back); a failed pass is logged and the next one is tried at its time.
/// </summary>
#pragma warning disable CA1001 // The token source lives from StartAsync to StopAsync, which disposes it.
internal sealed class EventStoreRetention(IEventStore store, IOptions<EventStoreOptions> options, TimeProvider? timeProvider = null, ILogger<EventStoreRetention>? logger = null) : IHostedService
#pragma warning restore CA1001
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private CancellationTokenSource? _stopping;
    private Task? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Retention is { } retention && _running is null)
        {
            _stopping = new CancellationTokenSource();

            // The first pass is scheduled before StartAsync returns, so the clock can be trusted from here on.
            _running = RunAsync(retention, options.Value.RetentionInterval, _time.GetUtcNow() + options.Value.RetentionInterval, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running is not { } running)
        {
            return;
        }

        await _stopping!.CancelAsync().ConfigureAwait(false);
        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stopping.Dispose();
        _running = null;
    }

    private async Task RunAsync(EventRetention retention, TimeSpan interval, DateTimeOffset due, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                TimeSpan wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
                }

                Log.RetentionPruned(_logger, await store.PruneAsync(retention, stopping).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store that fails now may work at the next pass; the failure is logged.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.RetentionFailed(_logger, exception, interval);
            }

            // The next pass at its fixed time; after a long pause (a suspended machine) one pass now, not one per missed interval.
            DateTimeOffset now = _time.GetUtcNow();
            due += interval;
            if (due < now)
            {
                due = now;
            }
        }
    }
}
