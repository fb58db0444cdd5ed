namespace EventBus;

/// <summary>Matches events at or above a priority.</summary>
internal sealed class MinimumPriorityFilter : EventFilter
{
    private readonly EventPriority _minimum;

    public MinimumPriorityFilter(EventPriority minimum)
    {
        if (!Enum.IsDefined(minimum))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"Event priority {(int)minimum} is not defined; use Low, Normal, High or Critical.");
        }

        _minimum = minimum;
    }

    public override string Description => $"priority at least {_minimum}";

    public override bool Matches(EventEnvelope envelope) => envelope.Priority >= _minimum;
}
