namespace EventBus;

/// <summary>Why an event went to the dead-letter queue.</summary>
public enum DeadLetterReason
{
    /// <summary>The handler threw on the last attempt (or on an attempt whose exception the retry policy does not retry).</summary>
    Failed = 0,

    /// <summary>The handler ran past its <see cref="SubscriptionOptions.HandlerTimeout"/> on the last attempt.</summary>
    TimedOut = 1,

    /// <summary>The event's <see cref="EventEnvelope.ExpiresAt"/> passed before it could be delivered.</summary>
    Expired = 2,

    /// <summary>
    /// Delivering failed outside the handler (in the bus, or in a metrics or tracing listener), so whether the handler
    /// finished is not known; the event is kept here to be retried. Counted in <see cref="EventBusStatistics.LaneFaults"/>.
    /// </summary>
    Faulted = 3,
}
