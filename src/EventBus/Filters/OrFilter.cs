namespace EventBus;

/// <summary>Matches events that pass either of two filters; the left one is evaluated first.</summary>
internal sealed class OrFilter(EventFilter left, EventFilter right) : EventFilter
{
    public override string Description => $"({left.Description}) or ({right.Description})";

    public override bool Matches(EventEnvelope envelope) => left.Matches(envelope) || right.Matches(envelope);
}
