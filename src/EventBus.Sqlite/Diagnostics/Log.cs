using Microsoft.Extensions.Logging;

namespace EventBus.Sqlite;

/// <summary>Source-generated log messages of the SQLite store.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Writing a batch of standard events to the event store {Path} failed; they were published but are missing from the store")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string path);
}
