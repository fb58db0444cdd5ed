namespace EventBus;

/// <summary>What stopping the bus left undone, in the subscriptions' own counts.</summary>
public sealed class DrainReport
{
    /// <summary>Gets a value indicating whether every event accepted before the stop was handled before the deadline.</summary>
    public required bool Completed { get; init; }

    /// <summary>
    /// Gets the deliveries (event and subscription pairs) discarded while stopping: still buffered when the deadline
    /// passed, or held by a paused subscription. It equals the growth of the subscriptions' <see cref="SubscriptionCounters.Unhandled"/> during the stop.
    /// </summary>
    public required long UnhandledDeliveries { get; init; }

    /// <summary>
    /// Gets the deliveries still not settled when the stop returned: a handler that ignored its cancelled token, and
    /// what waits behind it. Each is counted by its subscription when it ends. Zero after a complete drain.
    /// </summary>
    public required long PendingDeliveries { get; init; }

    /// <summary>Gets how long the stop took.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"DrainReport {{ Completed = {Completed}, UnhandledDeliveries = {UnhandledDeliveries}, PendingDeliveries = {PendingDeliveries}, Elapsed = {Elapsed} }}";
}
