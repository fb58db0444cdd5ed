namespace EventBus;

/// <summary>How the bus relays events to one <see cref="IExternalPublisher"/>.</summary>
public sealed class ExternalPublisherOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the bus's store is the outbox when it can be one (an
    /// <see cref="IEventLog"/>, such as the SQLite store): stored events are then sent from the store, in batches of
    /// <see cref="BatchSize"/>, and a crash or restart loses none of them; while the publisher is away they wait in the
    /// store, without bound. Temporary events, which the store does not keep, still go through the in-memory outbox.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseStoreAsOutbox { get; set; } = true;

    /// <summary>Gets or sets how many events the durable outbox reads from the store and sends at once (all in flight together).</summary>
    /// <value>The default value is 1,000.</value>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets the events that may wait for the publisher in the in-memory outbox. Past it, new events for the
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
    /// Gets or sets how sending is retried while the external system is unreachable. From the in-memory outbox, after the
    /// last attempt the event is dead-lettered (kept, counted, and retryable with <see cref="IDeadLetterQueue.RetryAll"/>);
    /// the durable outbox keeps retrying with the policy's longest delay, as its events wait safely in the store.
    /// </summary>
    /// <value>
    /// The default value retries 20 times, from 100 ms up to 5 s apart: about a minute and a half. It does not retry an
    /// <see cref="ArgumentException"/>: the publisher refuses that event every time (it can not be encoded, or is too
    /// large), so the in-memory outbox dead-letters it at once, as the durable outbox does.
    /// </value>
    public RetryPolicy Retry { get; set; } = DefaultRetry();

    private static RetryPolicy DefaultRetry()
    {
        RetryPolicy retry = RetryPolicy.Exponential(maxAttempts: 20, initialDelay: TimeSpan.FromMilliseconds(100), maxDelay: TimeSpan.FromSeconds(5));
        retry.ShouldRetry = exception => exception is not ArgumentException;
        return retry;
    }
}
