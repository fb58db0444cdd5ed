namespace EventBus.RabbitMQ;

/// <summary>Why a message from the wire could not become an event.</summary>
public enum WireFormatError
{
    /// <summary>The message is larger than the limit; it was not parsed.</summary>
    TooLarge = 0,

    /// <summary>The message is not a CloudEvents 1.0 JSON event, or an attribute has a wrong form.</summary>
    Malformed = 1,

    /// <summary>The event type is not in the <see cref="EventCatalog"/>, so no payload type can be trusted for it.</summary>
    UnknownType = 2,

    /// <summary>The payload does not deserialize into the type the catalogue names for the event type.</summary>
    UndeserializablePayload = 3,
}
