namespace EventBus;

/// <summary>Matches events of the given kinds, with one bit test.</summary>
internal sealed class KindFilter : EventFilter
{
    private readonly int _mask;

    public KindFilter(IReadOnlyCollection<EventKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            throw new ArgumentException("A kind filter needs at least one kind, such as EventKind.Command.", nameof(kinds));
        }

        foreach (EventKind kind in kinds)
        {
            if (!Enum.IsDefined(kind))
            {
                throw new ArgumentOutOfRangeException(nameof(kinds), kind, $"Event kind {(int)kind} is not defined; use one of {string.Join(", ", Enum.GetNames<EventKind>())}.");
            }

            _mask |= 1 << (int)kind;
        }

        Description = "kind in [" + string.Join(", ", Enum.GetValues<EventKind>().Where(k => (_mask & (1 << (int)k)) != 0)) + "]";
    }

    public override string Description { get; }

    public override bool Matches(EventEnvelope envelope) => (_mask & (1 << (int)envelope.Kind)) != 0;
}
