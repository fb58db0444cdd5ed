using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace EventBus;

/// <summary>
/// An immutable event: what happened (<see cref="Type"/>, <see cref="Kind"/>, <see cref="Data"/>), where it
/// belongs (<see cref="WorkflowId"/>, <see cref="Phase"/>, <see cref="CorrelationId"/>, <see cref="CausationId"/>)
/// and how it should travel (<see cref="Priority"/>, <see cref="ExpiresAt"/>, <see cref="Target"/>).
/// </summary>
/// <remarks>
/// Create envelopes with <see cref="EventBuilder"/>, <see cref="Create(string, object?, TimeProvider?)"/> or
/// <see cref="CreateCaused(string, object?, TimeProvider?)"/>. Every envelope is validated when it is built,
/// so the bus never re-validates it on the publish path.
/// </remarks>
public sealed class EventEnvelope
{
    internal static readonly ReadOnlyDictionary<string, string> EmptyMetadata = ReadOnlyDictionary<string, string>.Empty;

    private static readonly ReadOnlyDictionary<string, string> ReplayedOnly =
        new Dictionary<string, string>(StringComparer.Ordinal) { [EventMetadataKeys.Replayed] = "true" }.AsReadOnly();

    internal EventEnvelope(EventBuilder builder, TimeProvider timeProvider)
        : this(builder, Guid.Empty, timeProvider.GetUtcNow())
    {
    }

    internal EventEnvelope(EventBuilder builder, Guid id, DateTimeOffset timestamp)
    {
        Type = builder.Type;
        Timestamp = timestamp;
        Id = id == Guid.Empty ? Guid.CreateVersion7(timestamp) : id;
        Kind = builder.Kind;
        Source = builder.Source ?? EventBuilder.DefaultSource;
        Target = builder.Target;
        WorkflowId = builder.WorkflowId;
        Phase = builder.Phase;
        CorrelationId = builder.CorrelationId;
        CausationId = builder.CausationId;
        ExpiresAt = builder.ExpiresAt ?? (builder.TimeToLive is { } ttl ? ExpiryAfter(timestamp, ttl) : null);
        Priority = builder.Priority;
        SchemaVersion = builder.SchemaVersion;
        Persistence = builder.Persistence;
        Data = builder.Data;
        Metadata = builder.Metadata is { Count: > 0 } metadata
            ? new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(metadata, StringComparer.Ordinal))
            : EmptyMetadata;
        (LongestId, LongestMetadataValue) = MeasureText(builder.Metadata);
    }

    private EventEnvelope(EventEnvelope source, IReadOnlyDictionary<string, string> metadata, bool isReplay = false, Guid? replayTarget = null)
    {
        Persistence = source.Persistence;
        IsReplay = isReplay;
        ReplayTarget = replayTarget;
        Id = source.Id;
        Type = source.Type;
        Kind = source.Kind;
        Source = source.Source;
        Target = source.Target;
        WorkflowId = source.WorkflowId;
        Phase = source.Phase;
        CorrelationId = source.CorrelationId;
        CausationId = source.CausationId;
        Timestamp = source.Timestamp;
        ExpiresAt = source.ExpiresAt;
        Priority = source.Priority;
        SchemaVersion = source.SchemaVersion;
        Data = source.Data;
        Metadata = metadata;
        (LongestId, LongestMetadataValue) = ReferenceEquals(metadata, source.Metadata)
            ? (source.LongestId, source.LongestMetadataValue)
            : MeasureText(metadata);
    }

    /// <summary>Gets the length of the longest identifier (source, target, workflow, phase, correlation, metadata key), for <see cref="EventLimits"/>.</summary>
    internal int LongestId { get; }

    /// <summary>Gets the length of the longest metadata value, for <see cref="EventLimits"/>.</summary>
    internal int LongestMetadataValue { get; }

    private static DateTimeOffset ExpiryAfter(DateTimeOffset timestamp, TimeSpan timeToLive) =>
        timeToLive <= DateTimeOffset.MaxValue - timestamp
            ? timestamp + timeToLive
            : throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, $"A time to live of {timeToLive} from {timestamp:O} is past the latest time a DateTimeOffset can hold; use a shorter time to live, or none for an event that never expires.");

    /// <summary>Measures the text once, when the envelope is built, so the bus checks its limits with three comparisons.</summary>
    private (int LongestId, int LongestValue) MeasureText(IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        int longestId = Math.Max(Math.Max(Source.Length, Target?.Length ?? 0), Math.Max(Math.Max(WorkflowId?.Length ?? 0, Phase?.Length ?? 0), CorrelationId?.Length ?? 0));
        int longestValue = 0;
        if (metadata is not null)
        {
            foreach ((string key, string value) in metadata)
            {
                longestId = Math.Max(longestId, key.Length);
                longestValue = Math.Max(longestValue, value.Length);
            }
        }

        return (longestId, longestValue);
    }

    /// <summary>Gets the unique, time-ordered (version 7) identifier of the event.</summary>
    public Guid Id { get; }

    /// <summary>Gets the dotted type name, such as <c>workflow.started</c>.</summary>
    public string Type { get; }

    /// <summary>Gets what the event asks of its receivers.</summary>
    public EventKind Kind { get; }

    /// <summary>Gets the identifier of the component that published the event.</summary>
    public string Source { get; }

    /// <summary>Gets the intended receiver, or <see langword="null"/> for anyone interested.</summary>
    public string? Target { get; }

    /// <summary>Gets the workflow the event belongs to, if any. It is the default ordering key.</summary>
    public string? WorkflowId { get; }

    /// <summary>Gets the workflow phase the event belongs to, if any.</summary>
    public string? Phase { get; }

    /// <summary>Gets the identifier shared by every event of one conversation or request, if any.</summary>
    public string? CorrelationId { get; }

    /// <summary>Gets the identifier of the event that caused this one, if any.</summary>
    public Guid? CausationId { get; }

    /// <summary>Gets when the event was created, in UTC, as read from the injected <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets when the event stops being worth delivering, or <see langword="null"/> when it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Gets how urgently the event should be dispatched.</summary>
    public EventPriority Priority { get; }

    /// <summary>Gets the version of the payload's schema. The default is 1.</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Gets how durably the bus stores the event when a store is configured, or null to use the level configured for
    /// its type (<see cref="EventStoreOptions"/>).
    /// </summary>
    public PersistenceLevel? Persistence { get; }

    /// <summary>Gets a value indicating whether the event is a replay from the store (it is then not stored again).</summary>
    internal bool IsReplay { get; }

    /// <summary>Gets the only subscription a replayed event may reach, or null for every matching subscription.</summary>
    internal Guid? ReplayTarget { get; }

    /// <summary>Gets the payload, or <see langword="null"/> when the event carries none.</summary>
    public object? Data { get; }

    /// <summary>Gets string metadata such as trace or user ids. Never null; empty when there is none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Creates an event of the given type carrying <paramref name="data"/>: a shorthand for
    /// <c>new EventBuilder(type).WithData(data).Build(timeProvider)</c>; use the builder to set anything else.
    /// </summary>
    /// <param name="type">A dotted type name such as <c>workflow.started</c>.</param>
    /// <param name="data">The payload, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for the timestamp and id; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not a valid concrete type name.</exception>
    public static EventEnvelope Create(string type, object? data = null, TimeProvider? timeProvider = null) =>
        new EventBuilder(type).WithData(data).Build(timeProvider);

    /// <summary>
    /// Creates an event caused by this one: a shorthand for
    /// <c>new EventBuilder(type).CausedBy(this).WithData(data).Build(timeProvider)</c>. Its causation id is this event's
    /// id, its correlation id is this event's correlation id (or, when this event has none, this event's id), and it
    /// inherits the workflow and phase.
    /// </summary>
    /// <param name="type">A dotted type name such as <c>phase.completed</c>.</param>
    /// <param name="data">The payload, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for the timestamp and id; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The new event.</returns>
    public EventEnvelope CreateCaused(string type, object? data = null, TimeProvider? timeProvider = null) =>
        new EventBuilder(type).CausedBy(this).WithData(data).Build(timeProvider);

    /// <summary>Gets the payload as <typeparamref name="T"/> when it is one.</summary>
    /// <typeparam name="T">The expected payload type.</typeparam>
    /// <param name="data">The payload when this method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the payload is a <typeparamref name="T"/>.</returns>
    public bool TryGetData<T>([MaybeNullWhen(false)] out T data)
    {
        if (Data is T typed)
        {
            data = typed;
            return true;
        }

        data = default;
        return false;
    }

    /// <summary>Gets the payload as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected payload type.</typeparam>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidOperationException">The payload is missing or of another type.</exception>
    public T GetData<T>() => Data is T typed
        ? typed
        : throw new InvalidOperationException(
            $"Event '{Type}' ({Id}) carries {(Data is null ? "no payload" : $"a payload of type '{Data.GetType().FullName}'")}, not '{typeof(T).FullName}'. Use TryGetData<T> when the payload type may vary.");

    /// <summary>Tells whether the event has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when <see cref="ExpiresAt"/> is at or before <paramref name="now"/>.</returns>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    /// <summary>
    /// Copies the event with one metadata entry added or replaced. The copy keeps this event's id, timestamp and every
    /// other field, so it is the same event with one more fact attached; this event is unchanged.
    /// </summary>
    /// <param name="key">The metadata key; not empty.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public EventEnvelope WithMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        return WithMetadata(new Dictionary<string, string>(Metadata, StringComparer.Ordinal) { [key] = value });
    }

    /// <summary>Copies the event with other metadata: the same id, timestamp and everything else.</summary>
    internal EventEnvelope WithMetadata(Dictionary<string, string> metadata) => new(this, metadata.AsReadOnly(), IsReplay, ReplayTarget);

    /// <summary>Copies the event as a replay: marked in its metadata, never stored again, and optionally for one subscription only.</summary>
    internal EventEnvelope ForReplay(Guid? target)
    {
        // Most events carry no metadata of their own; they share one read-only marker instead of a dictionary each.
        IReadOnlyDictionary<string, string> metadata = Metadata.Count == 0
            ? ReplayedOnly
            : new Dictionary<string, string>(Metadata, StringComparer.Ordinal) { [EventMetadataKeys.Replayed] = "true" }.AsReadOnly();
        return new EventEnvelope(this, metadata, isReplay: true, target);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Id} ({Kind}, {Priority})";
}
