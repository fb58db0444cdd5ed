namespace EventBus;

/// <summary>The delivery status log of a bus that does not track statuses (<see cref="EventBusOptions.DeliveryStatusCapacity"/> is 0).</summary>
internal sealed class DisabledDeliveryStatusLog : IDeliveryStatusLog
{
    public static readonly DisabledDeliveryStatusLog Instance = new();

    public bool IsEnabled => false;

    public int Capacity => 0;

    public EventDeliveryStatus? Find(Guid eventId) => null;

    public IReadOnlyList<EventDeliveryStatus> Recent(int limit = 100) => [];
}
