namespace EventBus;

/// <summary>
/// An event that one subscription could not handle, kept so that it can be inspected, retried or purged. Stores that
/// read dead letters back (<see cref="IDeadLetterStore"/>) create them with an object initializer; they leave
/// <see cref="SubscriptionId"/> empty, because subscription ids do not outlive a process.
/// </summary>
public sealed class DeadLetter
{
    /// <summary>Creates the dead letter of a subscription that gave up on an event in this process.</summary>
    internal static DeadLetter For(Guid id, EventEnvelope envelope, Subscription subscription, DeadLetterReason reason, Exception? exception, int attempts, DateTimeOffset deadLetteredAt) => new()
    {
        Id = id,
        Event = envelope,
        SubscriptionId = subscription.Id,
        SubscriberId = subscription.SubscriberId,
        Reason = reason,
        ExceptionType = exception?.GetType().FullName,
        ExceptionMessage = exception?.Message,
        Attempts = attempts,
        DeadLetteredAt = deadLetteredAt,
    };

    /// <summary>Gets the dead letter's own id (one event can be dead-lettered by several subscriptions).</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the event.</summary>
    public required EventEnvelope Event { get; init; }

    /// <summary>
    /// Gets the id of the subscription that could not handle it; a retry redelivers to this subscription. It is
    /// <see cref="Guid.Empty"/> for a dead letter restored from a store after a restart, which a retry redelivers to the
    /// live subscription with the same <see cref="SubscriberId"/>.
    /// </summary>
    public Guid SubscriptionId { get; init; }

    /// <summary>Gets the subscriber id of that subscription (set it in <see cref="SubscriptionOptions.SubscriberId"/> to keep it stable across restarts).</summary>
    public required string SubscriberId { get; init; }

    /// <summary>Gets why the event was dead-lettered.</summary>
    public required DeadLetterReason Reason { get; init; }

    /// <summary>Gets the full type name of the last exception, or null when the event expired.</summary>
    public string? ExceptionType { get; init; }

    /// <summary>Gets the last exception's message, or null when the event expired.</summary>
    public string? ExceptionMessage { get; init; }

    /// <summary>Gets how many attempts were made; 0 when the event expired before the first.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the event was published (its timestamp).</summary>
    public DateTimeOffset PublishedAt => Event.Timestamp;

    /// <summary>Gets when the event was dead-lettered.</summary>
    public DateTimeOffset DeadLetteredAt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Event.Type} {Event.Id} for {SubscriberId}: {Reason} after {Attempts} attempt(s){(ExceptionType is null ? string.Empty : $" ({ExceptionType}: {ExceptionMessage})")}";
}
