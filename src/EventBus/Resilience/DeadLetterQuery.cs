namespace EventBus;

/// <summary>Selects dead letters. Every criterion left null matches everything.</summary>
public sealed class DeadLetterQuery
{
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

    /// <summary>Gets or sets the most dead letters to return from <see cref="IDeadLetterQueue.List"/>, oldest first.</summary>
    /// <value>The default value is 1,000.</value>
    public int Limit { get; set; } = 1_000;

    internal Func<DeadLetter, bool> ToPredicate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limit, nameof(Limit));
        EventFilter? type = TypePattern is null ? null : EventFilter.Pattern(TypePattern);
        return letter =>
            (type is null || type.Matches(letter.Event)) &&
            (SubscriptionId is null || letter.SubscriptionId == SubscriptionId) &&
            (SubscriberId is null || string.Equals(letter.SubscriberId, SubscriberId, StringComparison.Ordinal)) &&
            (Reason is null || letter.Reason == Reason) &&
            (From is null || letter.DeadLetteredAt >= From) &&
            (To is null || letter.DeadLetteredAt < To);
    }
}
