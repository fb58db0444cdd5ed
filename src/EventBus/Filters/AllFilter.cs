namespace EventBus;

/// <summary>Matches every event.</summary>
internal sealed class AllFilter : EventFilter
{
    public override string Description => "all events";

    public override bool Matches(EventEnvelope envelope) => true;
}
