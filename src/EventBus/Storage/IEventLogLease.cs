namespace EventBus;

/// <summary>A lease taken from <see cref="IEventLogLeases"/>: held until disposed, or until it is lost.</summary>
public interface IEventLogLease : IAsyncDisposable
{
    /// <summary>
    /// Gets a token cancelled when the lease is lost (for a database, its connection broke, so another process may hold it
    /// now): the holder must stop sending and take a new lease.
    /// </summary>
    CancellationToken Lost { get; }
}
