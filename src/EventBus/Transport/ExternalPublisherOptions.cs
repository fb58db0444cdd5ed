namespace EventBus;

/// <summary>How the bus relays events to one <see cref="IExternalPublisher"/>.</summary>
public sealed class ExternalPublisherOptions
{
    /// <summary>
    /// Gets or sets the events that may wait for the publisher (the in-memory outbox). Past it, new events for the
    /// publisher are dropped, counted in the relay subscription's <see cref="SubscriptionCounters.Dropped"/> and logged;
    /// local delivery is never slowed by an external system.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public int OutboxCapacity { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets how many events may be in flight to the publisher at once. Events of one ordering key are sent one
    /// after another, in order; events of different keys are pipelined.
    /// </summary>
    /// <value>
    /// The default value is 256: with one event in flight per lane, a broker's confirm round trip needs many lanes to
    /// keep up (measured on RabbitMQ: 32 lanes reached 39% of the raw client's confirmed rate, 256 lanes 72%).
    /// </value>
    public int Concurrency { get; set; } = 256;

    /// <summary>
    /// Gets or sets how sending is retried while the external system is unreachable. After the last attempt the event is
    /// dead-lettered (kept, counted, and retryable with <see cref="IDeadLetterQueue.RetryAll"/>).
    /// </summary>
    /// <value>The default value retries 20 times, from 100 ms up to 5 s apart: about a minute and a half.</value>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Exponential(maxAttempts: 20, initialDelay: TimeSpan.FromMilliseconds(100), maxDelay: TimeSpan.FromSeconds(5));
}
