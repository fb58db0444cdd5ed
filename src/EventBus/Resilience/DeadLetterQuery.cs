namespace EventBus;

/// <summary>
/// Selects dead letters for <see cref="IDeadLetterQueue.List"/>, <see cref="IDeadLetterQueue.RetryAll"/> and
/// <see cref="IDeadLetterQueue.PurgeAll"/>. Every criterion left null matches everything; criteria
/// combine with AND.
/// </summary>
public sealed class DeadLetterQuery
{
    /// <summary>Gets or sets the dead letter's own id (<see cref="DeadLetter.Id"/>).</summary>
    public Guid? DeadLetterId { get; set; }

    /// <summary>Gets or sets the id of the event that was dead-lettered; one event has one dead letter per subscription that gave up on it.</summary>
    public Guid? EventId { get; set; }

    /// <summary>Gets or sets an event type or pattern (see <see cref="EventFilter.Pattern"/>).</summary>
    public string? TypePattern { get; set; }

    /// <summary>Gets or sets the subscription id.</summary>
    public Guid? SubscriptionId { get; set; }

    /// <summary>Gets or sets the subscriber id.</summary>
    public string? SubscriberId { get; set; }

    /// <summary>Gets or sets the reason.</summary>
    public DeadLetterReason? Reason { get; set; }

    /// <summary>Gets or sets the earliest dead-lettering time, inclusive.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Gets or sets the latest dead-lettering time, exclusive.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>
    /// Gets or sets the most dead letters the call lists, retries or purges, oldest first; null for every one that matches
    /// (the queue holds at most <see cref="EventBusOptions.DeadLetterCapacity"/>).
    /// </summary>
    public int? Limit { get; set; }

    internal Func<DeadLetter, bool> ToPredicate()
    {
        if (Limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"DeadLetterQuery.Limit is {Limit}; use 1 or more, or null for every dead letter that matches.");
        }

        EventFilter? type = TypePattern is null ? null : EventFilter.Pattern(TypePattern);
        return letter =>
            (DeadLetterId is null || letter.Id == DeadLetterId) &&
            (EventId is null || letter.Event.Id == EventId) &&
            (type is null || type.Matches(letter.Event)) &&
            (SubscriptionId is null || letter.SubscriptionId == SubscriptionId) &&
            (SubscriberId is null || string.Equals(letter.SubscriberId, SubscriberId, StringComparison.Ordinal)) &&
            (Reason is null || letter.Reason == Reason) &&
            (From is null || letter.DeadLetteredAt >= From) &&
            (To is null || letter.DeadLetteredAt < To);
    }
}
