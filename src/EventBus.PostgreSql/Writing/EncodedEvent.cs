namespace EventBus.PostgreSql;

/// <summary>
/// An event as the columns it is stored in. Encoding (the payload's JSON above all) happens on the appending caller's
/// thread, so that concurrent publishers encode in parallel and the writer only moves bytes.
/// </summary>
internal sealed class EncodedEvent
{
    private EncodedEvent(EventEnvelope envelope, string? payloadType, byte[]? payload, string? metadata)
    {
        Envelope = envelope;
        PayloadType = payloadType;
        Payload = payload;
        Metadata = metadata;
    }

    public EventEnvelope Envelope { get; }

    public string? PayloadType { get; }

    public byte[]? Payload { get; }

    public string? Metadata { get; }

    public static EncodedEvent[] EncodeAll(IReadOnlyList<EventEnvelope> events, PayloadSerializer payloads)
    {
        EncodedEvent[] encoded = new EncodedEvent[events.Count];
        for (int i = 0; i < encoded.Length; i++)
        {
            EventEnvelope envelope = events[i];
            (string? type, byte[]? payload) = payloads.Write(envelope.Data);
            encoded[i] = new EncodedEvent(envelope, type, payload, PayloadSerializer.WriteMetadata(envelope.Metadata));
        }

        return encoded;
    }
}
