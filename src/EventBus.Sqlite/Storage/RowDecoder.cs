using System.Text;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// Turns rows of <see cref="SqliteEventStore.Columns"/> back into envelopes, reading SQLite's column buffers directly.
/// Text that repeats from row to row (type, source, target, workflow, phase, payload type) is decoded once per
/// reader and shared, so a page of a busy workflow allocates little beyond the envelopes themselves.
/// One decoder serves one read at a time.
/// </summary>
internal sealed class RowDecoder(PayloadSerializer payloads)
{
    private readonly SharedText _shared = new();

    public EventEnvelope Decode(sqlite3_stmt row, int first = 0)
    {
        string type = Shared(row, first + 2)!;
        EventBuilder builder = new EventBuilder(type)
            .WithKind((EventKind)raw.sqlite3_column_int(row, first + 3))
            .WithSource(Shared(row, first + 4)!)
            .WithTarget(Shared(row, first + 5))
            .WithWorkflow(Shared(row, first + 6), Shared(row, first + 7))
            .WithCorrelation(Text(row, first + 8))
            .WithCausation(IsNull(row, first + 9) ? null : new Guid(raw.sqlite3_column_blob(row, first + 9), bigEndian: true))
            .WithPriority((EventPriority)raw.sqlite3_column_int(row, first + 12))
            .WithSchemaVersion(raw.sqlite3_column_int(row, first + 13));
        if (!IsNull(row, first + 11))
        {
            builder.WithExpiry(new DateTimeOffset(raw.sqlite3_column_int64(row, first + 11), TimeSpan.Zero));
        }

        if (!IsNull(row, first + 14))
        {
            builder.WithPersistence((PersistenceLevel)raw.sqlite3_column_int(row, first + 14));
        }

        if (Shared(row, first + 15) is { } payloadType && !IsNull(row, first + 16))
        {
            builder.WithData(payloads.Read(type, payloadType, raw.sqlite3_column_blob(row, first + 16)));
        }

        if (!IsNull(row, first + 17) && PayloadSerializer.ReadMetadata(raw.sqlite3_column_blob(row, first + 17)) is { } metadata)
        {
            builder.WithMetadata(metadata);
        }

        Guid id = new(raw.sqlite3_column_blob(row, first + 1), bigEndian: true);
        return builder.BuildStored(id, new DateTimeOffset(raw.sqlite3_column_int64(row, first + 10), TimeSpan.Zero));
    }

    private static bool IsNull(sqlite3_stmt row, int column) => raw.sqlite3_column_type(row, column) == raw.SQLITE_NULL;

    private static string? Text(sqlite3_stmt row, int column) =>
        IsNull(row, column) ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(row, column));

    private string? Shared(sqlite3_stmt row, int column)
    {
        if (IsNull(row, column))
        {
            return null;
        }

        // A text column read as a blob yields its UTF-8 bytes without a copy.
        ReadOnlySpan<byte> utf8 = raw.sqlite3_column_blob(row, column);
        if (utf8.Length > SharedText.MaxSharedChars)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[SharedText.MaxSharedChars];
        return _shared.Get(chars[..Encoding.UTF8.GetChars(utf8, chars)]);
    }
}
