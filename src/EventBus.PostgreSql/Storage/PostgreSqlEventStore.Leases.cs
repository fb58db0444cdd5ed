namespace EventBus.PostgreSql;

/// <summary>
/// Leases on the log, so that the relays of several application instances take turns: each is a session-level advisory
/// lock, in a key space of its own per schema, held on a connection of its own.
/// </summary>
public sealed partial class PostgreSqlEventStore : IEventLogLeases
{
    // How often the holder checks its connection.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    /// <remarks>A holder whose connection breaks loses the lease within a second; its process dying frees it at once.</remarks>
    public async ValueTask<IEventLogLease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PostgreSqlLogLease.TryAcquireAsync(_dataSource, ((int)Fnv1a(_schema), (int)Fnv1a(name)), Heartbeat, _options.TimeProvider, exception => Log.LeaseLost(_options.Logger, exception, name, ToString()), cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException exception)
        {
            throw Failed(exception, "taking a lease on");
        }
    }
}
