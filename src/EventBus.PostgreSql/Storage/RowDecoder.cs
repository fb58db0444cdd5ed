using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// Builds envelopes from rows of the events table, one reader's worth. Short text that repeats from row to row (type,
/// source, target, workflow, phase, payload type) is shared, so that a page of events does not keep the same strings a
/// thousand times.
/// </summary>
internal sealed class RowDecoder(PayloadSerializer payloads)
{
    /// <summary>The number of the store's columns (<see cref="EventInserter.Columns"/>) a row starts with.</summary>
    public const int ColumnCount = 18;

    private readonly SharedText _shared = new();
    private byte[] _payload = new byte[1024];

    /// <summary>Decodes the current row: the store's columns from the first.</summary>
    /// <remarks>
    /// Each column is read once and in order: the driver finds a column by walking the row on from the last one read, so
    /// a column read after a later one costs a walk back from the row's start.
    /// </remarks>
    public EventEnvelope Decode(NpgsqlDataReader row)
    {
        Guid id = row.GetGuid(1);
        string type = Shared(row, 2)!;
        EventBuilder builder = new EventBuilder(type)
            .WithKind((EventKind)row.GetInt32(3))
            .WithSource(Shared(row, 4)!)
            .WithTarget(Shared(row, 5))
            .WithWorkflow(Shared(row, 6), Shared(row, 7))
            .WithCorrelation(row.IsDBNull(8) ? null : row.GetString(8))
            .WithCausation(row.IsDBNull(9) ? null : row.GetGuid(9));
        DateTimeOffset timestamp = new(row.GetInt64(10), TimeSpan.Zero);
        if (!row.IsDBNull(11))
        {
            builder.WithExpiry(new DateTimeOffset(row.GetInt64(11), TimeSpan.Zero));
        }

        builder.WithPriority((EventPriority)row.GetInt32(12)).WithSchemaVersion(row.GetInt32(13));
        if (!row.IsDBNull(14))
        {
            builder.WithPersistence((PersistenceLevel)row.GetInt32(14));
        }

        if (Shared(row, 15) is { } payloadType && !row.IsDBNull(16))
        {
            builder.WithData(payloads.Read(type, payloadType, Payload(row)));
        }

        // The text column's UTF-8 bytes, as the driver received them: no string made only to be encoded back.
        if (!row.IsDBNull(17) && PayloadSerializer.ReadMetadata(row.GetFieldValue<byte[]>(17)) is { } metadata)
        {
            builder.WithMetadata(metadata);
        }

        return builder.BuildStored(id, timestamp);
    }

    /// <summary>The payload's JSON, copied into a buffer kept for the read: it is parsed at once, so needs no array of its own.</summary>
    private ReadOnlySpan<byte> Payload(NpgsqlDataReader row)
    {
        int length = (int)row.GetBytes(16, 0, null, 0, 0);
        if (length > _payload.Length)
        {
            _payload = new byte[Math.Max(length, _payload.Length * 2)];
        }

        return _payload.AsSpan(0, (int)row.GetBytes(16, 0, _payload, 0, length));
    }

    // The driver's GetString is cheaper than its GetChars (which reads through a TextReader): the string is made, and
    // dropped young when an equal one is already shared.
    private string? Shared(NpgsqlDataReader row, int column) =>
        row.IsDBNull(column) ? null : _shared.Get(row.GetString(column));
}
