namespace EventBus.Benchmarks;

/// <summary>A Wolverine handler found by its name and its Handle method; the counter comes from the container.</summary>
public sealed class WolverineHandlerA
{
    public static void Handle(WolverineMessage message, WolverineCounter counter)
    {
        NoOp.Touch(message);
        counter.Hit();
    }
}
