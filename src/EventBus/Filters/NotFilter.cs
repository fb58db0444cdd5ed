namespace EventBus;

/// <summary>Matches events that do not pass a filter.</summary>
internal sealed class NotFilter(EventFilter inner) : EventFilter
{
    public EventFilter Inner { get; } = inner;

    public override string Description => $"not ({Inner.Description})";

    public override bool Matches(EventEnvelope envelope) => !Inner.Matches(envelope);
}
