namespace EventBus.Benchmarks;

/// <summary>A middleware that only calls the next step: the cost of a pipeline of one.</summary>
public sealed class PassThroughMiddleware : IEventMiddleware
{
    /// <inheritdoc />
    public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep) => nextStep();
}
