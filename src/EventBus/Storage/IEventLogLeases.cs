namespace EventBus;

/// <summary>
/// An <see cref="IEventLog"/> that several processes share (a database that many application instances use, or a file
/// that two processes open). External publishers' relays of the same name take turns through its leases: only the
/// holder reads the log and sends, the others wait, and one takes over from the checkpoint when the holder stops or
/// loses its lease. So two instances never both send the same events, except at a handover after a lost lease, where
/// the new holder sends again what the old one had sent but not checkpointed (and the receiving inbox drops it).
/// A store implements one attempt; <see cref="EventLogLeasesExtensions.AcquireLeaseAsync"/> waits by trying again.
/// </summary>
public interface IEventLogLeases
{
    /// <summary>Takes the lease called <paramref name="name"/> if no process holds it; does not wait.</summary>
    /// <param name="name">The lease's name; relays use their checkpoint's name.</param>
    /// <param name="cancellationToken">Stops trying.</param>
    /// <returns>The lease, or null when another holder has it.</returns>
    ValueTask<IEventLogLease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken = default);
}
