using System.Runtime.CompilerServices;

namespace EventBus;

/// <summary>
/// Streams kept beside the events: each stream holds its own events, so that eviction and pruning of the store, which
/// keep it bounded, never take an aggregate's history away.
/// </summary>
public sealed partial class InMemoryEventStore : IEventStreamStore
{
    private readonly Dictionary<string, List<EventEnvelope>> _streams = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _streamEventIds = [];

    /// <inheritdoc />
    public ValueTask<long> AppendToStreamAsync(string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamAppend(streamId, expectedVersion, events);
        lock (_lock)
        {
            List<EventEnvelope>? stream = _streams.GetValueOrDefault(streamId);
            long actual = stream?.Count ?? 0;
            if (expectedVersion != StreamVersion.Any && expectedVersion != actual)
            {
                throw new StreamVersionConflictException(streamId, expectedVersion, actual);
            }

            foreach (EventEnvelope envelope in events)
            {
                if (_byId.ContainsKey(envelope.Id) || _streamEventIds.Contains(envelope.Id))
                {
                    throw StoreGuards.AlreadyStored(streamId, events, envelope.Id);
                }
            }

            if (events.Count == 0)
            {
                return ValueTask.FromResult(actual);
            }

            stream ??= _streams[streamId] = [];
            foreach (EventEnvelope envelope in events)
            {
                stream.Add(envelope);
                _streamEventIds.Add(envelope.Id);
                Add(envelope);
            }

            return ValueTask.FromResult((long)stream.Count);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamRead(streamId, fromVersion);
        StreamEvent[] slice;
        lock (_lock)
        {
            List<EventEnvelope> stream = _streams.GetValueOrDefault(streamId) ?? [];
            slice = [.. stream.Skip((int)Math.Min(fromVersion - 1, stream.Count)).Select((envelope, i) => new StreamEvent(streamId, fromVersion + i, envelope))];
        }

        foreach (StreamEvent streamEvent in slice)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return streamEvent;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidStreamId(streamId);
        lock (_lock)
        {
            return ValueTask.FromResult((long)(_streams.GetValueOrDefault(streamId)?.Count ?? 0));
        }
    }
}
