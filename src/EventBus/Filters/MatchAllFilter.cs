namespace EventBus;

/// <summary>Matches every event.</summary>
internal sealed class MatchAllFilter : EventFilter
{
    public override string Description => "all events";

    public override bool Matches(EventEnvelope envelope) => true;
}
