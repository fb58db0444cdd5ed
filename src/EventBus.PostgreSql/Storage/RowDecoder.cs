using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// Builds envelopes from rows of the events table, one reader's worth. Short text that repeats from row to row (type,
/// source, target, workflow, phase, payload type) is decoded into a buffer and shared, so that a page of events does not
/// allocate the same strings a thousand times.
/// </summary>
internal sealed class RowDecoder(PayloadSerializer payloads)
{
    private readonly SharedText _shared = new();
    private readonly char[] _buffer = new char[SharedText.MaxSharedChars + 1];

    /// <summary>Decodes the current row: the store's columns from the first.</summary>
    public EventEnvelope Decode(NpgsqlDataReader row)
    {
        EventBuilder builder = new EventBuilder(Shared(row, 2)!)
            .WithKind((EventKind)row.GetInt32(3))
            .WithSource(Shared(row, 4)!)
            .WithTarget(Shared(row, 5))
            .WithWorkflow(Shared(row, 6), Shared(row, 7))
            .WithCorrelation(row.IsDBNull(8) ? null : row.GetString(8))
            .WithCausation(row.IsDBNull(9) ? null : row.GetGuid(9))
            .WithPriority((EventPriority)row.GetInt32(12))
            .WithSchemaVersion(row.GetInt32(13));
        if (!row.IsDBNull(11))
        {
            builder.WithExpiry(new DateTimeOffset(row.GetInt64(11), TimeSpan.Zero));
        }

        if (!row.IsDBNull(14))
        {
            builder.WithPersistence((PersistenceLevel)row.GetInt32(14));
        }

        if (Shared(row, 15) is { } payloadType && !row.IsDBNull(16))
        {
            builder.WithData(payloads.Read(payloadType, row.GetFieldValue<byte[]>(16)));
        }

        if (!row.IsDBNull(17) && PayloadSerializer.ReadMetadata(System.Text.Encoding.UTF8.GetBytes(row.GetString(17))) is { } metadata)
        {
            builder.WithMetadata(metadata);
        }

        return builder.BuildStored(row.GetGuid(1), new DateTimeOffset(row.GetInt64(10), TimeSpan.Zero));
    }

    private string? Shared(NpgsqlDataReader row, int column)
    {
        if (row.IsDBNull(column))
        {
            return null;
        }

        // One character more than is shared: a value that fills the buffer is longer, and read whole.
        int length = (int)row.GetChars(column, 0, _buffer, 0, _buffer.Length);
        return length > SharedText.MaxSharedChars ? row.GetString(column) : _shared.Get(_buffer.AsSpan(0, length));
    }
}
