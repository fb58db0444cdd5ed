namespace EventBus;

/// <summary>The life of a subscription.</summary>
public enum SubscriptionState
{
    /// <summary>Matching events are delivered.</summary>
    Active = 0,

    /// <summary>Matching events are buffered (up to the buffer capacity) and delivered in order on resume.</summary>
    Paused = 1,

    /// <summary>The subscription was removed; its handler is never invoked again.</summary>
    Removed = 2,
}
