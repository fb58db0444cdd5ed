using Microsoft.Extensions.Logging;

namespace EventBus.PostgreSql;

/// <summary>The PostgreSQL store's log messages. They name the database, never the password.</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "Listening for other instances' appends on {Database} failed; readers of the log read again on their timeout until listening is back, tried again in {Delay}")]
    public static partial void ListeningFailed(ILogger logger, Exception exception, string database, TimeSpan delay);

    [LoggerMessage(201, LogLevel.Warning, "The lease '{Name}' on {Database} was lost: its connection broke, and another instance may hold it now")]
    public static partial void LeaseLost(ILogger logger, Exception exception, string name, string database);
}
