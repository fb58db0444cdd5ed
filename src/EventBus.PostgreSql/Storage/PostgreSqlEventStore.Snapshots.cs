using System.Text.Json;
using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>Snapshots: the state as JSON, read back into the type the caller names; no type name is stored.</summary>
public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async ValueTask SaveSnapshotAsync<TState>(string streamId, long version, TState state, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidSnapshot(streamId, version);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(state, _payloads.Contract<TState>());
        await ScalarAsync(
            $"INSERT INTO {_schema}.snapshots (stream_id, version, state, taken_at) VALUES ($1, $2, $3, $4) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, state = excluded.state, taken_at = excluded.taken_at WHERE excluded.version >= {_schema}.snapshots.version",
            [new NpgsqlParameter { Value = streamId }, new NpgsqlParameter { Value = version }, new NpgsqlParameter { Value = json }, new NpgsqlParameter { Value = _options.TimeProvider.GetUtcNow().UtcTicks }],
            "saving a snapshot to",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="JsonException">The stored state does not fit <typeparamref name="TState"/>.</exception>
    public async ValueTask<Snapshot<TState>?> LoadSnapshotAsync<TState>(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        return await CommandAsync<Snapshot<TState>?>(
            $"SELECT version, state, taken_at FROM {_schema}.snapshots WHERE stream_id = $1",
            [new NpgsqlParameter { Value = streamId }],
            "loading a snapshot from",
            async command =>
            {
                NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                TState state = JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(1), _payloads.Contract<TState>())!;
                return new Snapshot<TState>(streamId, reader.GetInt64(0), state, new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero));
            },
            cancellationToken).ConfigureAwait(false);
    }
}
