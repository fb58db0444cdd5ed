namespace EventBus;

/// <summary>How the bus stores what it publishes: a default persistence level and levels per event type.</summary>
/// <example>
/// <code>
/// services.AddEventBus().AddEventStore(store => store
///     .Persist("audit.#", PersistenceLevel.Critical)
///     .Persist("metrics.#", PersistenceLevel.Temporary));
/// </code>
/// </example>
public sealed class EventStoreOptions
{
    private readonly List<(EventFilter Pattern, PersistenceLevel Level)> _rules = [];

    /// <summary>Gets or sets the level of events that set none and match no rule.</summary>
    /// <value>The default value is <see cref="PersistenceLevel.Standard"/>.</value>
    public PersistenceLevel DefaultLevel { get; set; } = PersistenceLevel.Standard;

    /// <summary>
    /// Gets or sets a value indicating whether the bus keeps its dead letters in the store too, when the store is an
    /// <see cref="IDeadLetterStore"/>: they are written as they are added and removed and read back when the bus
    /// starts, so they survive a restart. A restored dead letter is retried to the subscription with the same
    /// <see cref="SubscriptionOptions.SubscriberId"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool StoreDeadLetters { get; set; } = true;

    /// <summary>
    /// Gets or sets what the store keeps: when set, events older than <see cref="EventRetention.MaxAge"/> (for example
    /// 30 days) and beyond <see cref="EventRetention.MaxCount"/> are pruned every <see cref="RetentionInterval"/> while the
    /// application runs. Events of a stream are never pruned. Null keeps everything.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EventRetention? Retention { get; set; }

    /// <summary>Gets or sets how often <see cref="Retention"/> is applied.</summary>
    /// <value>The default value is one hour.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gives the events whose type matches <paramref name="typePattern"/> a level; the first matching rule wins.</summary>
    /// <param name="typePattern">An exact type or a pattern (see <see cref="EventFilter.Pattern"/>).</param>
    /// <param name="level">The level.</param>
    /// <returns>These options.</returns>
    public EventStoreOptions Persist(string typePattern, PersistenceLevel level)
    {
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Persistence level {(int)level} is not defined; use Temporary, Standard or Critical.");
        }

        _rules.Add((EventFilter.Pattern(typePattern), level));
        return this;
    }

    /// <summary>Gets the level at which the bus stores <paramref name="envelope"/>: its own, else the first matching rule's, else the default. Replays are never stored again.</summary>
    /// <param name="envelope">The event.</param>
    /// <returns>The level.</returns>
    public PersistenceLevel LevelOf(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.IsReplay)
        {
            return PersistenceLevel.Temporary;
        }

        if (envelope.Persistence is { } own)
        {
            return own;
        }

        foreach ((EventFilter pattern, PersistenceLevel level) in _rules)
        {
            if (pattern.Matches(envelope))
            {
                return level;
            }
        }

        return DefaultLevel;
    }
}
