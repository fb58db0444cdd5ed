namespace EventBus;

/// <summary>
/// The delivery status of recent events, per subscription, with retry counts. Enabled by
/// <see cref="EventBusOptions.DeliveryStatusCapacity"/>; it keeps that many of the most recently routed events.
/// </summary>
public interface IDeliveryStatusLog
{
    /// <summary>Gets a value indicating whether statuses are recorded.</summary>
    bool IsEnabled { get; }

    /// <summary>Gets how many recent events are kept.</summary>
    int Capacity { get; }

    /// <summary>Gets the status of one event.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <returns>The status, or null when the event is unknown or no longer recent.</returns>
    EventDeliveryStatus? Find(Guid eventId);

    /// <summary>Gets the statuses of the most recently routed events, newest first.</summary>
    /// <param name="limit">The most to return.</param>
    /// <returns>The statuses.</returns>
    IReadOnlyList<EventDeliveryStatus> Recent(int limit = 100);
}
