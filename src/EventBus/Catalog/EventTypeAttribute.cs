namespace EventBus;

/// <summary>
/// Names the event type of a payload class, record or struct, so that it can be published as an object
/// (<c>PublishAsync(new OrderPlaced(42))</c>) and handled by an <see cref="IEventHandler{TPayload}"/>. Without the
/// attribute the type's name gives the event type by a convention (see <see cref="EventTypeDescriptor.For{TPayload}"/>).
/// </summary>
/// <param name="name">The dotted event type, for example <c>order.placed</c>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = false, AllowMultiple = false)]
public sealed class EventTypeAttribute(string name) : Attribute
{
    /// <summary>Gets the dotted event type.</summary>
    public string Name { get; } = name;

    /// <summary>Gets or sets the kind of the events published with this payload.</summary>
    /// <value>The default value is <see cref="EventKind.Notification"/>.</value>
    public EventKind Kind { get; set; } = EventKind.Notification;

    /// <summary>Gets or sets the priority of the events published with this payload, unless the publisher sets another.</summary>
    /// <value>The default value is <see cref="EventPriority.Normal"/>.</value>
    public EventPriority Priority { get; set; } = EventPriority.Normal;

    /// <summary>Gets or sets the payload's schema version, stamped on every event published with it.</summary>
    /// <value>The default value is 1.</value>
    public int SchemaVersion { get; set; } = 1;

    /// <summary>Gets or sets the catalogue category.</summary>
    /// <value>The default value is null: the first segment of the event type (<c>order</c> for <c>order.placed</c>).</value>
    public string? Category { get; set; }

    /// <summary>Gets or sets the catalogue description.</summary>
    /// <value>The default value is null: the payload type's name.</value>
    public string? Description { get; set; }
}
