namespace EventBus;

/// <summary>An event that one subscription could not handle, kept so that it can be inspected, retried or purged.</summary>
public sealed class DeadLetter
{
    internal DeadLetter(Guid id, EventEnvelope envelope, Guid subscriptionId, string subscriberId, DeadLetterReason reason, Exception? exception, int attempts, DateTimeOffset deadLetteredAt)
        : this(id, envelope, subscriberId, reason, exception?.GetType().FullName, exception?.Message, attempts, deadLetteredAt)
    {
        SubscriptionId = subscriptionId;
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="DeadLetter"/> class for a dead letter read back from an
    /// <see cref="IDeadLetterStore"/>. Its <see cref="SubscriptionId"/> is <see cref="Guid.Empty"/>: subscription ids
    /// do not outlive a process, so a retry goes to the live subscription with the same <see cref="SubscriberId"/>.
    /// </summary>
    /// <param name="id">The dead letter's id.</param>
    /// <param name="envelope">The event.</param>
    /// <param name="subscriberId">The subscriber id of the subscription that gave up on it.</param>
    /// <param name="reason">Why it was dead-lettered.</param>
    /// <param name="exceptionType">The last exception's full type name, or null.</param>
    /// <param name="exceptionMessage">The last exception's message, or null.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="deadLetteredAt">When it was dead-lettered.</param>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> or <paramref name="subscriberId"/> is null.</exception>
    public DeadLetter(Guid id, EventEnvelope envelope, string subscriberId, DeadLetterReason reason, string? exceptionType, string? exceptionMessage, int attempts, DateTimeOffset deadLetteredAt)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(subscriberId);
        Id = id;
        Event = envelope;
        SubscriberId = subscriberId;
        Reason = reason;
        ExceptionType = exceptionType;
        ExceptionMessage = exceptionMessage;
        Attempts = attempts;
        DeadLetteredAt = deadLetteredAt;
    }

    /// <summary>Gets the dead letter's own id (one event can be dead-lettered by several subscriptions).</summary>
    public Guid Id { get; }

    /// <summary>Gets the event.</summary>
    public EventEnvelope Event { get; }

    /// <summary>
    /// Gets the id of the subscription that could not handle it; a retry redelivers to this subscription. It is
    /// <see cref="Guid.Empty"/> for a dead letter restored from a store after a restart, which a retry redelivers to the
    /// live subscription with the same <see cref="SubscriberId"/>.
    /// </summary>
    public Guid SubscriptionId { get; }

    /// <summary>Gets the subscriber id of that subscription (set it in <see cref="SubscriptionOptions.SubscriberId"/> to keep it stable across restarts).</summary>
    public string SubscriberId { get; }

    /// <summary>Gets why the event was dead-lettered.</summary>
    public DeadLetterReason Reason { get; }

    /// <summary>Gets the full type name of the last exception, or null when the event expired.</summary>
    public string? ExceptionType { get; }

    /// <summary>Gets the last exception's message, or null when the event expired.</summary>
    public string? ExceptionMessage { get; }

    /// <summary>Gets how many attempts were made; 0 when the event expired before the first.</summary>
    public int Attempts { get; }

    /// <summary>Gets when the event was published (its timestamp).</summary>
    public DateTimeOffset PublishedAt => Event.Timestamp;

    /// <summary>Gets when the event was dead-lettered.</summary>
    public DateTimeOffset DeadLetteredAt { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Event.Type} {Event.Id} for {SubscriberId}: {Reason} after {Attempts} attempt(s){(ExceptionType is null ? string.Empty : $" ({ExceptionType}: {ExceptionMessage})")}";
}
