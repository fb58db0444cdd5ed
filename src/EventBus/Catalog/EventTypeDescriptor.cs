namespace EventBus;

/// <summary>One entry of the <see cref="EventCatalog"/>: an event type with its description, category, payload type and schema.</summary>
public sealed class EventTypeDescriptor
{
    /// <summary>Initializes a new instance of the <see cref="EventTypeDescriptor"/> class.</summary>
    /// <param name="type">The concrete dotted type name, such as <c>workflow.started</c>.</param>
    /// <param name="description">What the event means, for people reading the catalogue.</param>
    /// <param name="category">The group the type belongs to, such as <c>workflow</c>.</param>
    /// <param name="payloadType">The .NET type the payload must be an instance of, or null for any payload.</param>
    /// <param name="schema">The fields the payload must carry, or null for no field check.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not a valid concrete type name, or a text is empty.</exception>
    public EventTypeDescriptor(string type, string description, string category, Type? payloadType = null, PayloadSchema? schema = null)
    {
        EventTypeName.ThrowIfInvalid(type, nameof(type));
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        Type = type;
        Description = description;
        Category = category;
        PayloadType = payloadType;
        Schema = schema;
    }

    /// <summary>Gets the dotted type name.</summary>
    public string Type { get; }

    /// <summary>Gets what the event means.</summary>
    public string Description { get; }

    /// <summary>Gets the group the type belongs to.</summary>
    public string Category { get; }

    /// <summary>Gets the .NET type the payload must be an instance of, or null for any payload.</summary>
    public Type? PayloadType { get; }

    /// <summary>Gets the fields the payload must carry, or null for no field check.</summary>
    public PayloadSchema? Schema { get; }

    /// <summary>Gets the kind of the events published as objects of <see cref="PayloadType"/>.</summary>
    /// <value>The default value is <see cref="EventKind.Notification"/>.</value>
    public EventKind Kind { get; init; } = EventKind.Notification;

    /// <summary>Gets the priority of the events published as objects of <see cref="PayloadType"/>, unless the publisher sets another.</summary>
    /// <value>The default value is <see cref="EventPriority.Normal"/>.</value>
    public EventPriority Priority { get; init; } = EventPriority.Normal;

    /// <summary>Gets the payload's schema version, stamped on the events published as objects of <see cref="PayloadType"/>.</summary>
    /// <value>The default value is 1.</value>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>
    /// Describes the events whose payload is a <typeparamref name="TPayload"/>: as its <see cref="EventTypeAttribute"/>
    /// says, or else by convention, the type's name (without namespace) split into lower-case words joined by dots, a
    /// last word <c>Event</c> dropped: <c>OrderPlaced</c> is <c>order.placed</c>, <c>HTTPRequestFailedEvent</c> is
    /// <c>http.request.failed</c>.
    /// </summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <returns>The descriptor, with <see cref="PayloadType"/> set.</returns>
    /// <exception cref="ArgumentException">The attribute's name is invalid, or the type (generic, or with non-ASCII letters) needs the attribute.</exception>
    public static EventTypeDescriptor For<TPayload>() => For(typeof(TPayload));

    /// <summary>Describes the events whose payload is a <paramref name="payloadType"/>; see <see cref="For{TPayload}"/>.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <returns>The descriptor, with <see cref="PayloadType"/> set.</returns>
    /// <exception cref="ArgumentException">The attribute's name is invalid, or the type (generic, or with non-ASCII letters) needs the attribute.</exception>
    public static EventTypeDescriptor For(Type payloadType)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        EventTypeAttribute? named = (EventTypeAttribute?)Attribute.GetCustomAttribute(payloadType, typeof(EventTypeAttribute), inherit: false);
        string type = named?.Name ?? EventTypeConvention.NameOf(payloadType);
        if (named is not null && Problem(named, type) is { } problem)
        {
            throw new ArgumentException($"[EventType] on '{payloadType.FullName}': {problem}", nameof(payloadType));
        }

        return new EventTypeDescriptor(type, named?.Description ?? payloadType.Name, named?.Category ?? type.Split('.')[0], payloadType)
        {
            Kind = named?.Kind ?? EventKind.Notification,
            Priority = named?.Priority ?? EventPriority.Normal,
            SchemaVersion = named?.SchemaVersion ?? 1,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type} ({Category}): {Description}";

    private static string? Problem(EventTypeAttribute named, string type) =>
        EventTypeName.Validate(type, allowWildcards: false)
        ?? (!Enum.IsDefined(named.Kind) ? $"Kind {(int)named.Kind} is not defined; use one of {string.Join(", ", Enum.GetNames<EventKind>())}." : null)
        ?? (!Enum.IsDefined(named.Priority) ? $"Priority {(int)named.Priority} is not defined; use Low, Normal, High or Critical." : null)
        ?? (named.SchemaVersion <= 0 ? $"SchemaVersion {named.SchemaVersion} must be 1 or more." : null);
}
