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
                await FollowAsync(stopping).ConfigureAwait(false);
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

    private async Task FollowAsync(CancellationToken stopping)
    {
        long position = await log.ReadCheckpointAsync(_checkpoint, stopping).ConfigureAwait(false);
        statistics.MovedTo(position);
        Log.RelayStarted(logger, publisher.Name, position);
        while (!stopping.IsCancellationRequested)
        {
            EventLogPage page = await log.ReadAfterAsync(position, options.BatchSize, stopping).ConfigureAwait(false);
            if (page.Events.Count == 0)
            {
                await log.WaitForAppendAsync(position, PollInterval, stopping).ConfigureAwait(false);
                continue;
            }

            List<EventEnvelope> batch = [.. page.Events.Where(relayed.Matches)];
            if (batch.Count > 0)
            {
                await SendAsync(batch, stopping).ConfigureAwait(false);
            }

            position = page.Position;
            await log.SaveCheckpointAsync(_checkpoint, position, CancellationToken.None).ConfigureAwait(false);
            statistics.MovedTo(position);
        }
    }

    /// <summary>Sends a batch until the publisher took it; an event refused as never sendable sends the batch one by one.</summary>
    private async Task SendAsync(List<EventEnvelope> batch, CancellationToken stopping)
    {
        for (int failures = 1; ; failures++)
        {
            try
            {
                await publisher.PublishBatchAsync(batch, _abort).ConfigureAwait(false);
                statistics.AddSent(batch.Count);
                return;
            }
            catch (ArgumentException)
            {
                await SendEachAsync(batch, stopping).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (!_abort.IsCancellationRequested)
            {
                await BackOffAsync(exception, batch.Count, failures, stopping).ConfigureAwait(false);
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
}
