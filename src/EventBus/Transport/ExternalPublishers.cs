namespace EventBus;

/// <summary>Facts about the relays that carry events to external publishers.</summary>
public static class ExternalPublishers
{
    /// <summary>The start of every relay's subscriber id: a transport binding its queue to the subscriptions leaves these out.</summary>
    public const string SubscriberIdPrefix = "external:";

    /// <summary>
    /// Gets the subscriber id of the relay to a publisher: its subscription, counters and dead letters are found under it
    /// (for example <c>bus.DeadLetters.RetryAll(new DeadLetterQuery { SubscriberId = ExternalPublishers.SubscriberIdOf("rabbitmq") })</c>).
    /// </summary>
    /// <param name="publisherName">The publisher's <see cref="IExternalPublisher.Name"/>.</param>
    /// <returns>The subscriber id, <c>external:{name}</c>.</returns>
    public static string SubscriberIdOf(string publisherName)
    {
        ArgumentException.ThrowIfNullOrEmpty(publisherName);
        return SubscriberIdPrefix + publisherName;
    }
}
