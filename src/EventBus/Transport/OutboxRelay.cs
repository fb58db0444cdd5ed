using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// The durable outbox: follows the store's log from the publisher's checkpoint, sends the events bound for the publisher
/// in batches (pipelined: the whole batch is in flight at once, in log order), and moves the checkpoint only after the
/// publisher took the batch. While the publisher is away the events wait in the store and sending is retried without
/// end (the store is the bound); an event the publisher refuses as never sendable (<see cref="ArgumentException"/>) is
/// dead-lettered so that it can not hold the rest back.
/// </summary>
internal sealed class OutboxRelay(
    IEventLog log,
    IExternalPublisher publisher,
    EventFilter relayed,
    ExternalPublisherOptions options,
    ExternalRelayStatistics statistics,
    ChannelEventBus bus,
    ISubscription subscription,
    ILogger logger)
{
    // Events appended by another process on the same file raise no signal here; they are found by reading again this often.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Under load two full batches keep the broker busy; at a low rate batches are small, and more of them in flight keep
    // each event from waiting for the confirms of the ones before it. The in-memory outbox keeps as many (BatchingSender).
    internal const int MaxBatchesInFlight = 16;

    private readonly string _checkpoint = subscription.SubscriberId;
    private CancellationToken _abort;

    /// <summary>
    /// Relays until <paramref name="stopping"/>; a batch in flight then still completes, unless <paramref name="abort"/>
    /// gives up on it (the host's stop time is up), and it is sent again after the next start.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        _abort = abort;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (log is IEventLogLeases leases)
                {
                    await FollowWithLeaseAsync(leases, stopping).ConfigureAwait(false);
                }
                else
                {
                    statistics.IsSending = true;
                    await FollowAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested || _abort.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The relay must outlive a failing store: the events stay in it, and reading starts again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.RelayReadFailed(logger, exception, publisher.Name, PollInterval);
                try
                {
                    await Task.Delay(PollInterval, bus.TimeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// On a log that several processes share, relays only while this process holds the log's lease for the checkpoint:
    /// the relays of other instances wait, and one takes over from the checkpoint when this one stops or loses it.
    /// </summary>
    private async Task FollowWithLeaseAsync(IEventLogLeases leases, CancellationToken stopping)
    {
        IEventLogLease? free = await leases.TryAcquireLeaseAsync(_checkpoint, stopping).ConfigureAwait(false);
        if (free is null)
        {
            Log.RelayWaitingForLease(logger, publisher.Name);
        }

        IEventLogLease lease = free ?? await leases.AcquireLeaseAsync(_checkpoint, bus.TimeProvider, stopping).ConfigureAwait(false);
        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable leaseScope = lease.ConfigureAwait(false);
        using CancellationTokenSource following = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
        statistics.IsSending = true;
        try
        {
            await FollowAsync(following.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
        }
        finally
        {
            statistics.IsSending = false;
        }

        if (lease.Lost.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Log.RelayLeaseLost(logger, publisher.Name);
        }
    }

    /// <summary>
    /// Follows the log with several batches in flight (up to two full batches' worth of events): while the broker confirms
    /// one, the next is read, encoded and sent (on the same channel, in order). Batches complete in order; each moves the checkpoint. On a failure the batches after
    /// it are written off and reading starts again after the last confirmed one, so order holds and nothing is skipped
    /// (what is sent twice, the receiving inbox drops).
    /// </summary>
    private async Task FollowAsync(CancellationToken stopping)
    {
        long confirmed = await log.ReadCheckpointAsync(_checkpoint, stopping).ConfigureAwait(false);
        long read = confirmed;
        RelayCheckpoint checkpoint = new(log, _checkpoint, publisher.Name, statistics, logger);
        checkpoint.StartAt(confirmed);
        Log.RelayStarted(logger, publisher.Name, confirmed);
        Queue<Batch> inFlight = new();
        int inFlightEvents = 0;
        int failures = 0;
        Task? appended = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // Never a batch after one that failed: it could reach the broker before the failed one is sent again.
                if (inFlight.Count < MaxBatchesInFlight && inFlightEvents < 2 * options.BatchSize && !inFlight.Any(batch => batch.Sending.IsFaulted || batch.Sending.IsCanceled))
                {
                    EventLogPage page = await log.ReadAfterAsync(read, options.BatchSize, stopping).ConfigureAwait(false);
                    if (page.Events.Count > 0)
                    {
                        List<EventEnvelope> events = [.. page.Events.Where(relayed.Matches)];
                        inFlight.Enqueue(new Batch(events, page.Position, events.Count == 0 ? Task.CompletedTask : publisher.PublishBatchAsync(events, _abort).AsTask()));
                        inFlightEvents += events.Count;
                        read = page.Position;
                        continue;
                    }

                    // One wait serves every turn of the loop until something is appended (or the poll interval is up): a
                    // new one per turn would cost a timer and a cancellation registration for every event relayed.
                    if (appended is null || appended.IsCompleted)
                    {
                        appended = log.WaitForAppendAsync(read, PollInterval, stopping).AsTask();
                    }

                    if (inFlight.Count == 0)
                    {
                        await appended.ConfigureAwait(false);
                        continue;
                    }

                    // Nothing new yet: read again as soon as something is appended, not only once the oldest batch is
                    // confirmed, so an event never waits for the confirms of the ones before it to be read.
                    if (await Task.WhenAny(inFlight.Peek().Sending, appended).ConfigureAwait(false) == appended)
                    {
                        continue;
                    }
                }

                Batch oldest = inFlight.Dequeue();
                inFlightEvents -= oldest.Events.Count;
                try
                {
                    await oldest.Sending.ConfigureAwait(false);
                    statistics.AddSent(oldest.Events.Count);
                    failures = 0;
                }
                catch (ArgumentException)
                {
                    // An event the publisher can never send: the batch again one by one, dead-lettering that event.
                    await WriteOffAsync(inFlight).ConfigureAwait(false);
                    inFlightEvents = 0;
                    await SendEachAsync(oldest.Events, stopping).ConfigureAwait(false);
                    read = oldest.End;
                }
                catch (Exception exception) when (!_abort.IsCancellationRequested)
                {
                    await WriteOffAsync(inFlight).ConfigureAwait(false);
                    inFlightEvents = 0;
                    await BackOffAsync(exception, oldest.Events.Count, ++failures, stopping).ConfigureAwait(false);
                    read = confirmed;
                    continue;
                }

                confirmed = oldest.End;
                checkpoint.Confirmed(confirmed);
            }
        }
        finally
        {
            await SettleAsync(inFlight, checkpoint).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stopping: the batches already sent complete (or are aborted) before the relay ends, and those the publisher took
    /// move the checkpoint, in order, so that the next start (or another instance taking over the log's lease) does not
    /// send them again. From the first one that failed on, they are sent again after the next start.
    /// </summary>
    private async Task SettleAsync(Queue<Batch> inFlight, RelayCheckpoint checkpoint)
    {
        while (inFlight.TryDequeue(out Batch batch))
        {
            try
            {
                await batch.Sending.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // This batch and the ones after it are sent again after the next start.
            catch (Exception)
#pragma warning restore CA1031
            {
                await WriteOffAsync(inFlight).ConfigureAwait(false);
                break;
            }

            statistics.AddSent(batch.Events.Count);
            checkpoint.Confirmed(batch.End);
        }

        // The relay reads the checkpoint again when it starts over, and another instance may take the log's lease once
        // this one returns: the last save has to be in the store first.
        await checkpoint.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for batches whose outcome no longer matters (they are read and sent again) and forgets them.</summary>
    private static async Task WriteOffAsync(Queue<Batch> inFlight)
    {
        while (inFlight.TryDequeue(out Batch batch))
        {
            try
            {
                await batch.Sending.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Its outcome is moot: the events are read and sent again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async Task SendEachAsync(List<EventEnvelope> batch, CancellationToken stopping)
    {
        foreach (EventEnvelope envelope in batch)
        {
            for (int failures = 1; ; failures++)
            {
                try
                {
                    await publisher.PublishAsync(envelope, _abort).ConfigureAwait(false);
                    statistics.AddSent(1);
                    break;
                }
                catch (ArgumentException refused)
                {
                    DeadLetter(envelope, refused, failures);
                    break;
                }
                catch (Exception exception) when (!_abort.IsCancellationRequested)
                {
                    await BackOffAsync(exception, 1, failures, stopping).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Waits before the next attempt; a stop during the wait ends the relay (the batch is sent after the next start).</summary>
    private async Task BackOffAsync(Exception exception, int count, int failures, CancellationToken stopping)
    {
        statistics.AddSendFailure();
        TimeSpan delay = options.Retry.GetDelay(Math.Min(failures, 30));
        Log.RelaySendFailed(logger, exception, count, publisher.Name, failures, delay);
        await Task.Delay(delay, bus.TimeProvider, stopping).ConfigureAwait(false);
    }

    private void DeadLetter(EventEnvelope envelope, ArgumentException refused, int attempts)
    {
        Log.RelayRefused(logger, refused, publisher.Name, envelope.Type, envelope.Id);
        bus.DeadLetterQueue.Add(new DeadLetter
        {
            Id = Guid.NewGuid(),
            Event = envelope.WithMetadata(ExternalRelay.DeadLetteredMarker, "dead-lettered"),
            SubscriptionId = subscription.Id,
            SubscriberId = subscription.SubscriberId,
            Reason = DeadLetterReason.Failed,
            ExceptionType = refused.GetType().FullName,
            ExceptionMessage = refused.Message,
            Attempts = attempts,
            DeadLetteredAt = bus.TimeProvider.GetUtcNow(),
        });
        statistics.AddDeadLettered();
    }

    /// <summary>A batch in flight: its events, the log position it ends at, and the sending.</summary>
    private readonly record struct Batch(List<EventEnvelope> Events, long End, Task Sending);
}
