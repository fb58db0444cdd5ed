namespace EventBus;

/// <summary>
/// Collects one outcome per matching subscription for <see cref="IEventPublisher.PublishAndWaitAsync"/> and completes
/// when all have arrived. Allocated only for publish-and-wait; fire-and-forget publishing carries none. The task the
/// publisher waits on is made only when it has to wait: a delivery that finished inline needs none.
/// </summary>
internal sealed class PublishTracker
{
    private readonly Guid _eventId;

    // Guards everything below: written by the router (Expect), by subscription lanes or an inline delivery (Record),
    // and by the publisher (WaitAsync).
    private readonly Lock _lock = new();

    // Most events match one subscription: its outcome is kept in a field, and a list is made only for more.
    private DeliveryOutcome? _first;
    private List<DeliveryOutcome>? _more;
    private int _recorded;
    private int _expected = -1;
    private PublishReport? _report;
    private Exception? _failure;
    private TaskCompletionSource<PublishReport>? _waiter;

    public PublishTracker(Guid eventId, SubscriptionLane? callerLane)
    {
        _eventId = eventId;
        CallerLane = callerLane;
    }

    /// <summary>Gets the lane whose handler is publishing and waiting, or null when the publisher is no handler.</summary>
    public SubscriptionLane? CallerLane { get; }

    /// <summary>Called once by the router, before any delivery is queued, with the number of matching subscriptions.</summary>
    public void Expect(int count)
    {
        lock (_lock)
        {
            _expected = count;
            CompleteIfDone();
        }
    }

    public void Record(DeliveryOutcome outcome)
    {
        lock (_lock)
        {
            if (_recorded == 0)
            {
                _first = outcome;
            }
            else
            {
                (_more ??= []).Add(outcome);
            }

            _recorded++;
            CompleteIfDone();
        }
    }

    /// <summary>The event itself was dropped before routing; the waiting publisher gets <paramref name="exception"/>.</summary>
    public void Fail(Exception exception)
    {
        lock (_lock)
        {
            if (_report is null && _failure is null)
            {
                _failure = exception;
                _waiter?.TrySetException(exception);
            }
        }
    }

    /// <summary>Returns the report at once when every outcome is in; otherwise waits for it (the token cancels only the wait).</summary>
    public ValueTask<PublishReport> WaitAsync(CancellationToken cancellationToken)
    {
        Task<PublishReport> waiting;
        lock (_lock)
        {
            if (_report is not null)
            {
                return new ValueTask<PublishReport>(_report);
            }

            if (_failure is not null)
            {
                return ValueTask.FromException<PublishReport>(_failure);
            }

            waiting = (_waiter ??= new TaskCompletionSource<PublishReport>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        return new ValueTask<PublishReport>(waiting.WaitAsync(cancellationToken));
    }

    private void CompleteIfDone()
    {
        if (_expected >= 0 && _recorded == _expected && _report is null && _failure is null)
        {
            DeliveryOutcome[] outcomes = new DeliveryOutcome[_recorded];
            if (_recorded > 0)
            {
                outcomes[0] = _first!;
                _more?.CopyTo(outcomes, 1);
            }

            _report = new PublishReport(_eventId, outcomes);
            _waiter?.TrySetResult(_report);
        }
    }
}
