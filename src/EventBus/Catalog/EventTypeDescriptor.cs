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

    /// <inheritdoc />
    public override string ToString() => $"{Type} ({Category}): {Description}";
}
