namespace EventBus.Testing;

/// <summary>One handler invocation seen by the <see cref="EventBusHarness"/>.</summary>
public sealed class HandledEvent
{
    private readonly Func<ISubscription?> _subscription;

    internal HandledEvent(Func<ISubscription?> subscription, EventEnvelope envelope, Exception? exception)
    {
        _subscription = subscription;
        Envelope = envelope;
        Exception = exception;
    }

    /// <summary>Gets the subscription whose handler ran. Resolved on first read, after Subscribe has returned.</summary>
    public ISubscription Subscription => _subscription() ?? throw new InvalidOperationException("The subscription is not known yet: read handled events after Subscribe has returned, for example after WaitForIdleAsync.");

    /// <summary>Gets the event.</summary>
    public EventEnvelope Envelope { get; }

    /// <summary>Gets the handler's exception, or null when it succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>Gets a value indicating whether the handler succeeded.</summary>
    public bool Succeeded => Exception is null;

    /// <inheritdoc />
    public override string ToString() => $"{Envelope.Type} by {Subscription.SubscriberId}: {(Succeeded ? "handled" : "failed: " + Exception!.Message)}";
}
