namespace EventBus;

/// <summary>
/// Sends the events that the in-memory outbox's handlers hand it through <see cref="IExternalPublisher.PublishBatchAsync"/>,
/// grouped the way a database groups commits: an event that finds no batch being issued leaves at once, alone, and the
/// events that arrive while one is being issued, or while as many batches as the durable outbox keeps in flight await their
/// confirms, leave together in the next. At a low rate each event goes alone; under load the publisher gets batches it can
/// pack (RabbitMQ's <c>EventsPerMessage</c>) instead of one message, and one confirm, per event. Batches are pipelined:
/// the next is issued without waiting for the previous one's confirms. Order per key needs nothing here: the relay's
/// subscription hands over one event of a key at a time.
/// </summary>
internal sealed class BatchingSender(IExternalPublisher publisher)
{
    // Issuing is quick (encoding and handing frames to the client), but under a steady stream there is always more: after
    // this many batches the issuing moves to the thread pool, so the handler that began it is not kept from its own event.
    private const int BatchesPerTurn = 16;

    private readonly Lock _lock = new();
    private List<Waiting> _waiting = [];
    private bool _issuing;
    private int _inFlight;

    /// <summary>Sends one event with whatever else is waiting; the task completes once the publisher took this event.</summary>
    public Task SendAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        TaskCompletionSource sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_lock)
        {
            _waiting.Add(new Waiting(envelope, sent));
            lead = !_issuing && _inFlight < OutboxRelay.MaxBatchesInFlight;
            _issuing |= lead;
        }

        if (lead)
        {
            IssueWaiting();
        }

        return sent.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Issues the waiting events as batches until none is left or the batches in flight are at their limit (a confirm then
    /// issues what waits); only one caller issues at a time.
    /// </summary>
    private void IssueWaiting()
    {
        for (int turn = 0; turn < BatchesPerTurn; turn++)
        {
            List<Waiting> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0 || _inFlight >= OutboxRelay.MaxBatchesInFlight)
                {
                    _issuing = false;
                    return;
                }

                batch = _waiting;
                _waiting = [];
                _inFlight++;
            }

            _ = CompleteAsync(batch, Issue(batch));
        }

        ThreadPool.UnsafeQueueUserWorkItem(static sender => sender.IssueWaiting(), this, preferLocal: false);
    }

    private Task Issue(List<Waiting> batch) =>
        Start(() => publisher.PublishBatchAsync([.. batch.Select(waiting => waiting.Envelope)], CancellationToken.None));

    /// <summary>
    /// Completes each event's send with the batch's outcome, after making room for the next batch (so what waited leaves
    /// before this batch's handlers wake). A batch refused because one of its events can never be sent
    /// (<see cref="ArgumentException"/>, raised before any of it left) is sent again event by event, so that only that
    /// event fails and the others are not retried or dead-lettered for it.
    /// </summary>
    private async Task CompleteAsync(List<Waiting> batch, Task issued)
    {
        Exception? failure = await OutcomeAsync(issued).ConfigureAwait(false);
        Exception?[] outcomes = new Exception?[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            outcomes[i] = failure is ArgumentException && batch.Count > 1
                ? await OutcomeAsync(Start(() => publisher.PublishAsync(batch[i].Envelope, CancellationToken.None))).ConfigureAwait(false)
                : failure;
        }

        Settled();
        for (int i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } exception)
            {
                batch[i].Sent.TrySetException(exception);
            }
            else
            {
                batch[i].Sent.TrySetResult();
            }
        }
    }

    /// <summary>Starts a send; a publisher that throws instead of returning a faulted task fails it all the same.</summary>
    private static Task Start(Func<ValueTask> send)
    {
        try
        {
            return send().AsTask();
        }
#pragma warning disable CA1031 // Turned into the send's outcome.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Task.FromException(exception);
        }
    }

    private static async Task<Exception?> OutcomeAsync(Task send)
    {
        try
        {
            await send.ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // The outcome of one event's or one batch's send, handed to its handlers.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return exception;
        }
    }

    /// <summary>A batch left the flight: what waited for room is issued now, unless someone is issuing already.</summary>
    private void Settled()
    {
        bool lead;
        lock (_lock)
        {
            _inFlight--;
            lead = !_issuing && _waiting.Count > 0;
            _issuing |= lead;
        }

        if (lead)
        {
            IssueWaiting();
        }
    }

    /// <summary>An event waiting to be issued, and its handler's completion.</summary>
    private readonly record struct Waiting(EventEnvelope Envelope, TaskCompletionSource Sent);
}
