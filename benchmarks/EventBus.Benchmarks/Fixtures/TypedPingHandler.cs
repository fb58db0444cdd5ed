namespace EventBus.Benchmarks;

/// <summary>A DI-registered typed handler that does nothing, for the cost of a handling scope.</summary>
public sealed class TypedPingHandler : IEventHandler<TypedPing>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(EventEnvelope envelope, TypedPing payload, CancellationToken cancellationToken)
    {
        NoOp.Touch(payload);
        return ValueTask.CompletedTask;
    }
}
