namespace EventBus;

/// <summary>Waiting for a lease on a shared log: one loop for every store, which only implements one attempt.</summary>
public static class EventLogLeasesExtensions
{
    // How often a waiting process tries again; a holder that stops or dies frees the lease at once.
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    /// <summary>Waits until the lease called <paramref name="name"/> is free in every process, and takes it; tries every second.</summary>
    /// <param name="leases">The shared log.</param>
    /// <param name="name">The lease's name; relays use their checkpoint's name.</param>
    /// <param name="timeProvider">The clock for the waits; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The lease; dispose it to give it back.</returns>
    public static async ValueTask<IEventLogLease> AcquireLeaseAsync(this IEventLogLeases leases, string name, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        while (true)
        {
            if (await leases.TryAcquireLeaseAsync(name, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }

            await Task.Delay(Retry, timeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }
}
