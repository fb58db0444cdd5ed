namespace EventBus.Generators.Tests.Handlers;

/// <summary>A typed handler found by the generator, with no settings.</summary>
public sealed class ConfirmationHandler(Journal journal, IHandlerContext context) : IEventHandler<OrderPlaced>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken)
    {
        journal.Add($"confirmation {payload.OrderId} by {context.SubscriberId}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>A handler of an interface: it receives every shop event, whatever its event type.</summary>
internal sealed class ShopAudit(Journal journal) : IEventHandler<IShopEvent>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(EventEnvelope envelope, IShopEvent payload, CancellationToken cancellationToken)
    {
        journal.Add($"audit {envelope.Type} {payload.OrderId}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>An envelope handler registered by the pattern of its attribute.</summary>
[EventHandler(Pattern = "order.refunded", SubscriberId = "refund-log")]
public sealed class RefundLog(Journal journal) : IEventHandler
{
    /// <inheritdoc />
    public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        journal.Add($"refund-log {envelope.Type}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Retried by its attribute's policy: fails as often as the payload says.</summary>
[EventHandler(SubscriberId = "flaky", MaxAttempts = 3, RetryDelayMilliseconds = 1)]
public sealed class FlakyHandler(Journal journal) : IEventHandler<Flaky>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(EventEnvelope envelope, Flaky payload, CancellationToken cancellationToken)
    {
        int attempt = journal.Lines.Count(l => l.StartsWith("flaky", StringComparison.Ordinal)) + 1;
        journal.Add($"flaky attempt {attempt}");
        return attempt <= payload.Failures ? throw new InvalidOperationException($"attempt {attempt} fails") : ValueTask.CompletedTask;
    }
}

/// <summary>Handles two events at once, as its attribute allows: each waits until both are inside.</summary>
[EventHandler(Concurrency = 2)]
public sealed class RendezvousHandler(Journal journal) : IEventHandler<Rendezvous>
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(EventEnvelope envelope, Rendezvous payload, CancellationToken cancellationToken)
    {
        if (journal.Enter() == 2)
        {
            journal.BothInside.TrySetResult();
        }

        await journal.BothInside.Task.WaitAsync(cancellationToken);
        journal.Add($"rendezvous {payload.Key}");
    }
}

/// <summary>A query handler found by the generator.</summary>
public sealed class OrderTotalHandler : IQueryHandler<OrderTotal, decimal>
{
    /// <inheritdoc />
    public ValueTask<decimal> HandleAsync(EventEnvelope envelope, OrderTotal query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(query.OrderId * 10.5m);
}
