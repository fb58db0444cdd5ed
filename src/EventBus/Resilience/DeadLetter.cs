namespace EventBus;

/// <summary>An event that one subscription could not handle, kept so that it can be inspected, retried or purged.</summary>
public sealed class DeadLetter
{
    internal DeadLetter(Guid id, EventEnvelope envelope, Guid subscriptionId, string subscriberId, DeadLetterReason reason, Exception? exception, int attempts, DateTimeOffset deadLetteredAt)
    {
        Id = id;
        Event = envelope;
        SubscriptionId = subscriptionId;
        SubscriberId = subscriberId;
        Reason = reason;
        ExceptionType = exception?.GetType().FullName;
        ExceptionMessage = exception?.Message;
        Attempts = attempts;
        DeadLetteredAt = deadLetteredAt;
    }

    /// <summary>Gets the dead letter's own id (one event can be dead-lettered by several subscriptions).</summary>
    public Guid Id { get; }

    /// <summary>Gets the event.</summary>
    public EventEnvelope Event { get; }

    /// <summary>Gets the id of the subscription that could not handle it; a retry redelivers to this subscription.</summary>
    public Guid SubscriptionId { get; }

    /// <summary>Gets the subscriber id of that subscription.</summary>
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
