namespace EventBus;

/// <summary>Matches events whose payload is a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The payload type.</typeparam>
internal sealed class PayloadFilter<T> : EventFilter
{
    public static readonly PayloadFilter<T> Instance = new();

    private PayloadFilter()
    {
    }

    public override string Description => $"payload is {typeof(T).Name}";

    public override bool Matches(EventEnvelope envelope) => envelope.Data is T;
}
