namespace EventBus;

/// <summary>What a typed publisher did with one event.</summary>
public sealed class PublishResult
{
    internal PublishResult(EventEnvelope envelope, Exception? error)
    {
        Event = envelope;
        Error = error;
    }

    /// <summary>Gets the event that was built; its ids can be used to chain causation, even when it was not accepted.</summary>
    public EventEnvelope Event { get; }

    /// <summary>Gets a value indicating whether the bus accepted the event.</summary>
    public bool Accepted => Error is null;

    /// <summary>Gets why the event was not accepted (best-effort mode only), or null when it was.</summary>
    public Exception? Error { get; }

    /// <inheritdoc />
    public override string ToString() => Accepted ? $"{Event.Type} {Event.Id} accepted" : $"{Event.Type} {Event.Id} not accepted: {Error!.Message}";
}
