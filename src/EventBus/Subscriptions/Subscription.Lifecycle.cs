namespace EventBus;

/// <summary>Pause, resume and removal.</summary>
internal sealed partial class Subscription
{
    /// <summary>
    /// Set inside every lane loop and inline delivery to the lane running the handler, so a handler that removes its own
    /// subscription, or waits for an event queued behind itself, is told rather than left waiting for itself.
    /// </summary>
    private static readonly AsyncLocal<SubscriptionLane?> CurrentHandlerLane = new();

    /// <summary>Gets the task that completes when the subscription leaves the paused state.</summary>
    internal Task ResumedTask => Volatile.Read(ref _resumed).Task;

    /// <summary>Gets the subscription whose handler is running in this flow, or null outside handlers.</summary>
    internal static Subscription? Current => CurrentHandlerLane.Value?.Subscription;

    /// <summary>Gets or sets the lane whose handler is running in this flow, or null outside handlers.</summary>
    internal static SubscriptionLane? CurrentLane
    {
        get => CurrentHandlerLane.Value;
        set => CurrentHandlerLane.Value = value;
    }

    public void Pause()
    {
        lock (_stateLock)
        {
            ThrowIfRemoved(nameof(Pause));
            if (_state == SubscriptionState.Active)
            {
                Volatile.Write(ref _resumed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                _state = SubscriptionState.Paused;
            }
        }
    }

    public void Resume()
    {
        lock (_stateLock)
        {
            ThrowIfRemoved(nameof(Resume));
            if (_state == SubscriptionState.Paused)
            {
                _state = SubscriptionState.Active;
                _resumed.TrySetResult();
            }
        }
    }

    /// <summary>The bus is stopping: wake paused lanes so they account for their buffered events.</summary>
    internal void OnBusStopping()
    {
        lock (_stateLock)
        {
            _resumed.TrySetResult();
        }
    }

    /// <summary>No more events will come from the bus; lanes finish what they hold and end.</summary>
    internal void CompleteLanes()
    {
        foreach (SubscriptionLane lane in _lanes)
        {
            lane.Complete();
        }
    }

    public ValueTask UnsubscribeAsync()
    {
        lock (_stateLock)
        {
            if (_state == SubscriptionState.Removed)
            {
                // Decided here, under the lock, not from a field the first caller sets after it: every caller but the
                // handler itself waits for the lanes to end.
                return new ValueTask(ReferenceEquals(Current, this) ? Task.CompletedTask : _lanesExited.Task);
            }

            _state = SubscriptionState.Removed;
            _resumed.TrySetResult();
        }

        _bus.Remove(this);
        CompleteLanes();
        RetireIfDone();
        long discarded = Counters.Pending;
        Log.SubscriptionRemoved(_bus.Logger, Id, SubscriberId, discarded);

        // Lanes end once they have finished the running handler and discarded what is buffered; after that no
        // invocation can start. A handler removing its own subscription can not wait for its own lane.
        return new ValueTask(ReferenceEquals(Current, this) ? Task.CompletedTask : _lanesExited.Task);
    }

    public ValueTask DisposeAsync() => UnsubscribeAsync();

    private void ThrowIfRemoved(string operation)
    {
        if (_state == SubscriptionState.Removed)
        {
            throw new InvalidOperationException($"Subscription {Id} ({SubscriberId}) was removed, so it can not {operation.ToLowerInvariant()}; subscribe again instead.");
        }
    }
}
