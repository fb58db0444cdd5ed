namespace EventBus.RabbitMQ;

/// <summary>
/// Counts the deliveries being handled and, on stop, closes to new ones and completes once the last one has finished.
/// The closed flag and the count share one word, changed only with interlocked operations, so a delivery arriving as the
/// stop begins either is counted before the stop reads the count or sees the gate closed: never both missed, which two
/// separate fields (a flag written, then a count read) allow, since a processor may read before its write is visible.
/// </summary>
internal sealed class DeliveryGate
{
    // The top bit: closed. The other bits: deliveries in flight.
    private const int ClosedBit = int.MinValue;

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    /// <summary>Gets whether the gate has closed (the consumer is stopping).</summary>
    public bool IsClosed => (Volatile.Read(ref _state) & ClosedBit) != 0;

    /// <summary>Gets how many deliveries are being handled.</summary>
    public int InFlight => Volatile.Read(ref _state) & int.MaxValue;

    /// <summary>Counts a delivery in; false once the gate has closed (the delivery is then left alone).</summary>
    public bool TryEnter()
    {
        int current = Volatile.Read(ref _state);
        while ((current & ClosedBit) == 0)
        {
            int seen = Interlocked.CompareExchange(ref _state, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Counts a delivery entered with <see cref="TryEnter"/> out; the last one out of a closed gate completes the drain.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _state) == ClosedBit)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Closes the gate and returns a task that completes when no delivery is in flight.</summary>
    public Task CloseAsync()
    {
        int before = Interlocked.Or(ref _state, ClosedBit);
        if ((before & int.MaxValue) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
