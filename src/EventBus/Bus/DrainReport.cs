namespace EventBus;

/// <summary>What stopping the bus left undone.</summary>
/// <param name="Completed">True when every event accepted before the stop was handled before the deadline.</param>
/// <param name="UnhandledDeliveries">Deliveries (event and subscription pairs) abandoned because the deadline passed or a subscription was paused.</param>
/// <param name="Elapsed">How long the drain took.</param>
public sealed record DrainReport(bool Completed, long UnhandledDeliveries, TimeSpan Elapsed);
