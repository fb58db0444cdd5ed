namespace EventBus.Docs.Tests.Snippets;

// Types the README's snippets use. They are not quoted; they only make the snippets compile and run.

/// <summary>The payload of an order event.</summary>
public sealed record OrderPlaced(int OrderId);

/// <summary>A handler type registered with AddEventHandler; it counts what it saw.</summary>
public sealed class AuditTrail : IEventHandler
{
    private static int _seen;

    public static int Seen => Volatile.Read(ref _seen);

    public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _seen);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A workflow's state, folded from its events.</summary>
public sealed record OrderState(int Events)
{
    public static OrderState Empty { get; } = new(0);

    public OrderState Apply(EventEnvelope envelope) => this with { Events = Events + 1 };
}
