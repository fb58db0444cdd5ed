using Microsoft.Extensions.Logging;

namespace EventBus.Sqlite;

/// <summary>Source-generated log messages of the SQLite store.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Writing a batch of standard events to the event store {Path} failed; they were published but are missing from the store")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(2, LogLevel.Warning, "Checkpointing the write-ahead log of the event store {Path} failed; it is tried again after more writes")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string path);
}
