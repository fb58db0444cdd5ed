namespace EventBus;

/// <summary>
/// Collects one outcome per matching subscription for <see cref="IEventPublisher.PublishAndWaitAsync"/> and completes
/// when all have arrived. Allocated only for publish-and-wait; fire-and-forget publishing carries none.
/// </summary>
internal sealed class PublishTracker
{
    private readonly Guid _eventId;
    private readonly TaskCompletionSource<PublishReport> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Written by the routing worker (Expect) and by subscription lanes (Record); guarded by the list's lock.
    private readonly List<DeliveryOutcome> _outcomes = [];
    private int _expected = -1;

    public PublishTracker(Guid eventId) => _eventId = eventId;

    public Task<PublishReport> Task => _completion.Task;

    /// <summary>Called once by the routing worker, before any delivery is queued, with the number of matching subscriptions.</summary>
    public void Expect(int count)
    {
        lock (_outcomes)
        {
            _expected = count;
            CompleteIfDone();
        }
    }

    public void Record(DeliveryOutcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
            CompleteIfDone();
        }
    }

    /// <summary>The event itself was dropped before routing; the waiting publisher gets <paramref name="exception"/>.</summary>
    public void Fail(Exception exception) => _completion.TrySetException(exception);

    private void CompleteIfDone()
    {
        if (_expected >= 0 && _outcomes.Count == _expected)
        {
            _completion.TrySetResult(new PublishReport(_eventId, [.. _outcomes]));
        }
    }
}
