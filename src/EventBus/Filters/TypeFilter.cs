namespace EventBus;

/// <summary>Matches one exact event type, ordinally.</summary>
internal sealed class TypeFilter : EventFilter
{
    public TypeFilter(string type)
    {
        EventTypeName.ThrowIfInvalid(type, nameof(type));
        EventType = type;
    }

    public string EventType { get; }

    public override string Description => $"type is '{EventType}'";

    internal override IndexHint GetIndexHint() => IndexHint.Exact(EventType);

    public override bool Matches(EventEnvelope envelope) => string.Equals(envelope.Type, EventType, StringComparison.Ordinal);
}
