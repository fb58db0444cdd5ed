using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventBus;

/// <summary>
/// Logs each handling with its duration: at Debug when it succeeds, at Warning with the exception when it fails (each
/// attempt of a retried event is one handling). The clock is the bus's <see cref="TimeProvider"/>. An application that
/// registered no logging gets no log, not a handler failure.
/// </summary>
internal sealed class HandlingLogMiddleware(TimeProvider time, ILoggerFactory? loggers = null) : IEventMiddleware
{
    private readonly ILogger _logger = loggers?.CreateLogger<HandlingLogMiddleware>() ?? NullLogger<HandlingLogMiddleware>.Instance;

    /// <inheritdoc />
    public async ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
    {
        long started = time.GetTimestamp();
        try
        {
            await nextStep().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.HandlingFailed(_logger, exception, context.SubscriberId, context.Envelope.Type, context.Envelope.Id, time.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }

        Log.Handled(_logger, context.SubscriberId, context.Envelope.Type, context.Envelope.Id, time.GetElapsedTime(started).TotalMilliseconds);
    }
}
