namespace EventBus;

/// <summary>
/// Inline delivery: a publisher that publishes and waits on an idle bus runs the handler on its own thread, in the lane's
/// execution context, while holding the lane (see <see cref="LoopOwnership"/>); an event then crosses one thread instead
/// of three.
/// </summary>
internal sealed partial class SubscriptionLane
{
    [ThreadStatic]
    private static InlineStart? t_inlineStart;

    // The execution context inline deliveries run in: empty but for Subscription.CurrentLane, as the loop's is. Made on
    // first use from the bus's empty context.
    private ExecutionContext? _context;

    /// <summary>
    /// Takes the lane for one delivery on the caller's thread (publish-and-wait on an idle bus), if nobody holds it and
    /// it is open; the caller must then call <see cref="DeliverInlineAsync"/>, which gives it back.
    /// </summary>
    public bool TryClaimInline() =>
        _owner.IsFree && (Volatile.Read(ref _context) ?? MakeContext()) is not null && _owner.TryClaimForGuest();

    /// <summary>
    /// Runs the synchronous part of one delivery on the caller's thread while holding the lane, in the lane loop's
    /// execution context and with no synchronization context, so the handler sees what it sees on the lane. The
    /// subscription's retry policy never delays (see <see cref="RetryPolicy.NeverDelays"/>), so nothing is parked and
    /// the held keys stay untouched. The returned task completes when the delivery has and the lane is given back.
    /// </summary>
    public ValueTask StartInline(in DispatchItem item)
    {
        InlineStart start = t_inlineStart ??= new InlineStart();
        start.Lane = this;
        start.Item = item;
        ExecutionContext.Run(_context!, InlineStart.Callback, start);
        ValueTask result = start.Result;
        start.Result = default;
        return result;
    }

    /// <summary>Makes the lane's context: the bus's empty one with Subscription.CurrentLane set, as the loop's own is.</summary>
    private ExecutionContext? MakeContext()
    {
        if (_subscription.Bus.EmptyContext is not { } empty)
        {
            return null;
        }

        ExecutionContext.Run(empty, static state =>
        {
            SubscriptionLane lane = (SubscriptionLane)state!;
            Subscription.CurrentLane = lane;
            Interlocked.CompareExchange(ref lane._context, ExecutionContext.Capture(), null);
        }, this);
        return Volatile.Read(ref _context);
    }

    private async ValueTask DeliverInlineAsync(DispatchItem item)
    {
        try
        {
            await DeliverAsync(item).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busyWith, 0);
            ReleaseInline();
        }
    }

    /// <summary>Gives back a lane taken by <see cref="TryClaimInline"/>, waking the loop if it waits for it.</summary>
    public void ReleaseInline() => _owner.ReleaseGuest();

    /// <summary>The arguments of one inline start, reused per thread so that the fast path allocates nothing.</summary>
    private sealed class InlineStart
    {
        public static readonly ContextCallback Callback = static state =>
        {
            InlineStart start = (InlineStart)state!;

            // Taken out before the handler runs: a handler that publishes and waits on another bus reuses this instance.
            SubscriptionLane lane = start.Lane!;
            DispatchItem item = start.Item;
            start.Lane = null;
            start.Item = default;

            // ExecutionContext.Run restores the caller's synchronization context afterwards.
            SynchronizationContext.SetSynchronizationContext(null);
#pragma warning disable CA2012 // Handed over once: StartInline takes it out of the holder and returns it to its one awaiter.
            start.Result = lane.DeliverInlineAsync(item);
#pragma warning restore CA2012
        };

        public SubscriptionLane? Lane { get; set; }

        public DispatchItem Item { get; set; }

        public ValueTask Result { get; set; }
    }
}
