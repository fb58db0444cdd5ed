namespace EventBus;

/// <summary>An accepted event on its way through the bus.</summary>
/// <param name="Envelope">The event.</param>
/// <param name="KeyHash">The hash of the event's ordering key (or of its id when it has none); picks the worker and the subscription lane.</param>
/// <param name="Tracker">Collects outcomes for <see cref="IEventPublisher.PublishAndWaitAsync"/>; null for fire-and-forget publishing.</param>
/// <param name="Attempts">Delivery attempts already made for one subscription; above zero only for a retry coming back to its lane.</param>
internal readonly record struct DispatchItem(EventEnvelope Envelope, int KeyHash, PublishTracker? Tracker, int Attempts = 0)
{
    /// <summary>Spreads the key hash differently from the worker choice, so lanes stay balanced whatever the worker count.</summary>
    public int LaneIndex(int laneCount) => laneCount == 1 ? 0 : (int)(((uint)KeyHash * 2654435769u >> 8) % (uint)laneCount);
}
