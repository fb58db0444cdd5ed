namespace EventBus;

/// <summary>
/// Thrown in strict catalogue mode (<see cref="EventBusOptions.StrictCatalog"/>) when an event's type is not
/// registered in the <see cref="EventCatalog"/> or its payload does not fit the registered type or schema.
/// Nothing of the rejected publish was accepted.
/// </summary>
public sealed class EventSchemaException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="EventSchemaException"/> class.</summary>
    public EventSchemaException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventSchemaException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EventSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventSchemaException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal EventSchemaException(string message, string eventType, string? field)
        : base(message)
    {
        EventType = eventType;
        Field = field;
    }

    /// <summary>Gets the type of the rejected event.</summary>
    public string? EventType { get; }

    /// <summary>Gets the payload field at fault, or null when the type itself is not registered or the payload type is wrong.</summary>
    public string? Field { get; }
}
