namespace EventBus;

/// <summary>
/// Builds an <see cref="EventEnvelope"/>. The type name is validated up front, so a builder never produces
/// an envelope the bus would refuse.
/// </summary>
/// <example>
/// <code>
/// EventEnvelope started = new EventBuilder("workflow.started")
///     .WithWorkflow("order-42")
///     .WithPriority(EventPriority.High)
///     .WithData(new OrderPlaced(42))
///     .Build(timeProvider);
/// </code>
/// </example>
public sealed class EventBuilder
{
    internal static readonly string DefaultSource = AppDomain.CurrentDomain.FriendlyName;

    /// <summary>Initializes a new instance of the <see cref="EventBuilder"/> class.</summary>
    /// <param name="type">A dotted type name such as <c>workflow.started</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty, malformed, too long or contains a wildcard.</exception>
    public EventBuilder(string type)
    {
        EventTypeName.ThrowIfInvalid(type, nameof(type));
        Type = type;
    }

    internal string Type { get; }

    internal EventKind Kind { get; private set; }

    internal string? Source { get; private set; }

    internal string? Target { get; private set; }

    internal string? WorkflowId { get; private set; }

    internal string? Phase { get; private set; }

    internal string? CorrelationId { get; private set; }

    internal Guid? CausationId { get; private set; }

    internal DateTimeOffset? ExpiresAt { get; private set; }

    internal TimeSpan? TimeToLive { get; private set; }

    internal EventPriority Priority { get; private set; } = EventPriority.Normal;

    internal int SchemaVersion { get; private set; } = 1;

    internal object? Data { get; private set; }

    internal PersistenceLevel? Persistence { get; private set; }

    internal Dictionary<string, string>? Metadata { get; private set; }

    /// <summary>Sets the kind. The default is <see cref="EventKind.Notification"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithKind(EventKind kind)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Event kind {(int)kind} is not defined; use one of {string.Join(", ", Enum.GetNames<EventKind>())}.");
        }

        Kind = kind;
        return this;
    }

    /// <summary>Sets the publishing component's id. The default is the application's name.</summary>
    /// <param name="source">The source id.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithSource(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Source = source;
        return this;
    }

    /// <summary>Sets the intended receiver.</summary>
    /// <param name="target">The receiver's id, or <see langword="null"/> for anyone.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithTarget(string? target)
    {
        Target = target;
        return this;
    }

    /// <summary>Sets the workflow and, optionally, its phase.</summary>
    /// <param name="workflowId">The workflow id; it is the default ordering key.</param>
    /// <param name="phase">The phase, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithWorkflow(string? workflowId, string? phase = null)
    {
        WorkflowId = workflowId;
        Phase = phase ?? Phase;
        return this;
    }

    /// <summary>Sets the workflow phase.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithPhase(string? phase)
    {
        Phase = phase;
        return this;
    }

    /// <summary>Sets the correlation id shared by one conversation.</summary>
    /// <param name="correlationId">The correlation id.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithCorrelation(string? correlationId)
    {
        CorrelationId = correlationId;
        return this;
    }

    /// <summary>Sets the id of the event that caused this one.</summary>
    /// <param name="causationId">The causing event's id.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithCausation(Guid? causationId)
    {
        CausationId = causationId;
        return this;
    }

    /// <summary>
    /// Marks the event as caused by <paramref name="parent"/>: a shorthand for <see cref="WithCausation"/> with the
    /// parent's id, <see cref="WithCorrelation"/> with the parent's correlation id (or, when the parent has none, the
    /// parent's id, which then starts the conversation) and <see cref="WithWorkflow"/> with the parent's workflow and phase.
    /// </summary>
    /// <param name="parent">The causing event.</param>
    /// <returns>This builder.</returns>
    public EventBuilder CausedBy(EventEnvelope parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return WithCausation(parent.Id)
            .WithCorrelation(parent.CorrelationId ?? parent.Id.ToString())
            .WithWorkflow(parent.WorkflowId, parent.Phase);
    }

    /// <summary>Sets the priority. The default is <see cref="EventPriority.Normal"/>.</summary>
    /// <param name="priority">The priority.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithPriority(EventPriority priority)
    {
        if (!Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, $"Event priority {(int)priority} is not defined; use Low, Normal, High or Critical.");
        }

        Priority = priority;
        return this;
    }

    /// <summary>Sets an absolute expiry time, replacing any time to live set before.</summary>
    /// <param name="expiresAt">When the event stops being worth delivering.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithExpiry(DateTimeOffset expiresAt)
    {
        ExpiresAt = expiresAt;
        TimeToLive = null;
        return this;
    }

    /// <summary>Sets an expiry relative to the event's timestamp, replacing any absolute expiry set before.</summary>
    /// <param name="timeToLive">How long after creation the event stays worth delivering; must be positive.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithExpiry(TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, $"Time to live {timeToLive} must be positive; omit it for an event that never expires.");
        }

        TimeToLive = timeToLive;
        ExpiresAt = null;
        return this;
    }

    /// <summary>Sets the payload's schema version. The default is 1.</summary>
    /// <param name="version">A positive version number.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithSchemaVersion(int version)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        SchemaVersion = version;
        return this;
    }

    /// <summary>Sets how durably the bus stores this event when a store is configured, overriding the level for its type.</summary>
    /// <param name="level">The level.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithPersistence(PersistenceLevel level)
    {
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Persistence level {(int)level} is not defined; use Temporary, Standard or Critical.");
        }

        Persistence = level;
        return this;
    }

    /// <summary>Sets the payload.</summary>
    /// <param name="data">The payload, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithData(object? data)
    {
        Data = data;
        return this;
    }

    /// <summary>Adds or replaces one metadata entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        (Metadata ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        return this;
    }

    /// <summary>Adds or replaces several metadata entries.</summary>
    /// <param name="metadata">The entries.</param>
    /// <returns>This builder.</returns>
    public EventBuilder WithMetadata(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (KeyValuePair<string, string> entry in metadata)
        {
            WithMetadata(entry.Key, entry.Value);
        }

        return this;
    }

    /// <summary>
    /// Rebuilds a stored event with its original id and timestamp. For event stores reading events back; publishers
    /// use <see cref="Build"/>, which stamps new ones.
    /// </summary>
    /// <param name="id">The stored event's id.</param>
    /// <param name="timestamp">The stored event's timestamp.</param>
    /// <returns>The envelope.</returns>
    public EventEnvelope BuildStored(Guid id, DateTimeOffset timestamp) => new(this, id, timestamp);

    /// <summary>Builds the envelope, stamping its id and timestamp from <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The immutable envelope. The builder can be reused; later changes do not affect it.</returns>
    public EventEnvelope Build(TimeProvider? timeProvider = null) => new(this, timeProvider ?? TimeProvider.System);
}
