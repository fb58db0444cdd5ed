namespace EventBus;

/// <summary>What the relay to one <see cref="IExternalPublisher"/> has done so far. Read it from <see cref="ExternalRelays"/>.</summary>
public sealed class ExternalRelayStatistics
{
    private long _sent;
    private long _sendFailures;
    private long _deadLettered;
    private long _position;

    internal ExternalRelayStatistics(string publisher) => Publisher = publisher;

    /// <summary>Gets the publisher's name.</summary>
    public string Publisher { get; }

    /// <summary>
    /// Gets a value indicating whether the relay sends from the store's log (<see cref="IEventLog"/>: nothing stored is
    /// lost by a crash) rather than from an in-memory outbox. Known once the bus was created.
    /// </summary>
    public bool IsDurable { get; internal set; }

    /// <summary>
    /// Gets a value indicating whether this relay sends now. On a log that several processes share
    /// (<see cref="IEventLogLeases"/>), only the relay holding the log's lease sends and the others wait for it; the
    /// in-memory outbox always sends.
    /// </summary>
    public bool IsSending { get; internal set; }

    /// <summary>Gets the number of events the publisher took (for a broker: confirmed).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Gets the number of sends that failed and were retried (the events stayed in the outbox).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Gets the number of events the publisher refused as never sendable; each is in the dead-letter queue.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Gets the store position the durable relay has finished with (0 for the in-memory outbox).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Publisher}: sent {Sent}, send failures {SendFailures}, dead-lettered {DeadLettered}{(IsDurable ? $", log position {Position}{(IsSending ? string.Empty : ", waiting for the log's lease")}" : string.Empty)}";

    internal void AddSent(int count) => Interlocked.Add(ref _sent, count);

    internal void AddSendFailure() => Interlocked.Increment(ref _sendFailures);

    internal void AddDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void MovedTo(long position) => Interlocked.Exchange(ref _position, position);
}
