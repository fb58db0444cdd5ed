using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// The log: events read in position order after a checkpoint. Positions become visible in order (appends are numbered
/// and committed one after another under the append lock), so a reader that moves its checkpoint to the last position it
/// read never skips an event committed later with a lower position.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async ValueTask<EventLogPage> ReadAfterAsync(long position, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        List<(long Position, EventEnvelope Event)> rows = await ReadEventsAsync(
            $"SELECT {Columns} FROM {_schema}.events WHERE position > $1 ORDER BY position LIMIT $2",
            [new NpgsqlParameter { Value = position }, new NpgsqlParameter { Value = maxCount }],
            cancellationToken).ConfigureAwait(false);
        return new EventLogPage { Events = [.. rows.Select(row => row.Event)], Position = rows.Count == 0 ? position : rows[^1].Position };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Appends by this store signal at once, and those of other instances (and the application's own transactions) by a
    /// notification when they commit; only while the store's listening connection is down does a wait last until
    /// <paramref name="timeout"/>.
    /// </remarks>
    public async ValueTask WaitForAppendAsync(long position, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _listener.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        Task appended = _listener.Appended;
        if (_listener.Last > position)
        {
            return;
        }

        try
        {
            await appended.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time to read again: another instance may have appended.
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return await ScalarAsync($"SELECT coalesce(max(position), 0) FROM {_schema}.checkpoints WHERE name = $1", [new NpgsqlParameter { Value = name }], "reading a checkpoint from", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Written at once; a checkpoint only moves forward, so a relay in another instance can not move it back.</remarks>
    public async ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await ScalarAsync(
            $"INSERT INTO {_schema}.checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = greatest({_schema}.checkpoints.position, excluded.position)",
            [new NpgsqlParameter { Value = name }, new NpgsqlParameter { Value = position }],
            "saving a checkpoint to",
            cancellationToken).ConfigureAwait(false);
    }
}
