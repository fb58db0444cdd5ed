using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>
/// Logs each handling with its duration: at Debug when it succeeds, at Warning with the exception when it fails (each
/// attempt of a retried event is one handling). The clock is the bus's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class HandlingLogMiddleware(ILogger<HandlingLogMiddleware> logger, TimeProvider time) : IEventMiddleware
{
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
            Log.HandlingFailed(logger, exception, context.SubscriberId, context.Envelope.Type, context.Envelope.Id, time.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }

        Log.Handled(logger, context.SubscriberId, context.Envelope.Type, context.Envelope.Id, time.GetElapsedTime(started).TotalMilliseconds);
    }
}
