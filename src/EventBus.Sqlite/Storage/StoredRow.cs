namespace EventBus.Sqlite;

/// <summary>
/// An event already turned into column values. Appenders build rows on their own threads, so the single writer only
/// binds and inserts: serialization runs in parallel with the writer instead of inside it.
/// </summary>
internal sealed class StoredRow
{
    public StoredRow(EventEnvelope envelope, PayloadSerializer payloads)
    {
        (PayloadType, Payload) = payloads.Write(envelope.Data);
        Id = envelope.Id.ToByteArray(bigEndian: true);
        Envelope = envelope;
        Causation = envelope.CausationId?.ToByteArray(bigEndian: true);
        Metadata = PayloadSerializer.WriteMetadata(envelope.Metadata);
    }

    public EventEnvelope Envelope { get; }

    /// <summary>Gets the id, big-endian so that version 7 ids sort by time and inserts land at the end of the index.</summary>
    public byte[] Id { get; }

    public byte[]? Causation { get; }

    public string? PayloadType { get; }

    public byte[]? Payload { get; }

    public string? Metadata { get; }
}
