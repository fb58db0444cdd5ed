using EventBus;

namespace AotSample;

/// <summary>Sends the invoice of each order, through the handler context so that the invoice is caused by the order.</summary>
public sealed class Invoicing(IHandlerContext context, Transcript transcript) : IEventHandler<OrderPlaced>
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken)
    {
        transcript.Write($"invoicing {payload.OrderId} for {payload.Amount}");
        await context.PublishAsync(new InvoiceSent(payload.OrderId), cancellationToken);
    }
}

/// <summary>Records each invoice with the order that caused it.</summary>
public sealed class InvoiceLog(Transcript transcript) : IEventHandler<InvoiceSent>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(EventEnvelope envelope, InvoiceSent payload, CancellationToken cancellationToken)
    {
        transcript.Write($"{envelope.Type} {payload.OrderId}, caused by an order: {envelope.CausationId is not null}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Answers the tax query.</summary>
public sealed class TaxDesk : IQueryHandler<TaxedAmount, decimal>
{
    /// <inheritdoc />
    public ValueTask<decimal> HandleAsync(EventEnvelope envelope, TaxedAmount query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(decimal.Round(query.Amount * 1.2m, 2));
}

/// <summary>Writes a line before every handling.</summary>
public sealed class Tracing(Transcript transcript) : IEventMiddleware
{
    /// <inheritdoc />
    public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
    {
        transcript.Write($"middleware: {context.SubscriberId} <- {context.Envelope.Type}");
        return nextStep();
    }
}
