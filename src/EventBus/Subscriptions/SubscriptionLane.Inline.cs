namespace EventBus;

/// <summary>The holder that carries an inline delivery into <see cref="ExecutionContext.Run"/> without allocating.</summary>
internal sealed partial class SubscriptionLane
{
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
