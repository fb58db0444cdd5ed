using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>
/// Turns SQLite's errors into <see cref="EventStoreException"/>s that name the file and say what to do: a raw
/// <see cref="SqliteException"/> says "unable to open database file" and leaves the caller to guess which file and why.
/// </summary>
internal static class StoreErrors
{
    // SQLite's primary result codes (the low byte of an extended code).
    private const int Permission = 3;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    /// <summary>Describes a failed operation on the store's file; <paramref name="doing"/> says what was being done ("opening", "reading", "writing").</summary>
    public static EventStoreException For(SqliteException exception, string path, string doing)
    {
        int code = exception.SqliteErrorCode & 0xFF;
        string fix = code switch
        {
            ReadOnly or Permission => "The file or its folder is read-only for this process: make both writable (SQLite also writes the -wal and -shm files beside it), or point SqliteEventStoreOptions.Path at a writable place.",
            CantOpen => "The file could not be opened: check that its folder exists and that this process may create files in it, or point SqliteEventStoreOptions.Path elsewhere.",
            Corrupt or NotADatabase => "The file is corrupt or not a SQLite database: move it (and its -wal and -shm files) aside and let the store create a new one, or restore it from a backup.",
            Full => "The disk or the file system quota is full: free space, then retry.",
            IoError => "The operating system reported an I/O error: check the disk and the file system the file lives on.",
            _ => "See the inner SqliteException for SQLite's own description.",
        };
        return new EventStoreException($"{Capitalize(doing)} the event store '{path}' failed (SQLite error {exception.SqliteErrorCode}: {exception.Message}). {fix}", exception);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
