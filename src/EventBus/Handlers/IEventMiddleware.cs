namespace EventBus;

/// <summary>
/// Runs around every invocation of a handler registered with the event bus builder (typed and envelope handlers
/// alike), in the order the middleware was registered (<see cref="MiddlewareBuilderExtensions.AddEventMiddleware{TMiddleware}"/>),
/// resolved from the handler's DI scope. It can act before and after the handler, observe its exception, or not call
/// <c>nextStep</c> at all (the handling then counts as done). Each retry of a failed handling is a new invocation, with a
/// new scope. It can not change the event (envelopes are immutable) or how the bus settles the outcome: an exception
/// that leaves it goes to the subscription's retry policy, then to the dead letters.
/// </summary>
public interface IEventMiddleware
{
    /// <summary>Handles one invocation.</summary>
    /// <param name="context">The event, the subscription, the scope and the cancellation token.</param>
    /// <param name="nextStep">Runs the rest of the pipeline, then the handler.</param>
    /// <returns>A task that completes when the handling is done.</returns>
    ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep);
}
