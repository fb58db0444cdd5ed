using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>The bus's link to its store: picks each event's level and writes it before the bus accepts the event.</summary>
internal sealed class EventStoreBinding(IEventStore store, EventStoreOptions options, ILogger logger)
{
    public IEventStore Store => store;

    public ValueTask StoreAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        PersistenceLevel level = options.LevelOf(envelope);
        return level == PersistenceLevel.Temporary ? ValueTask.CompletedTask : store.AppendAsync(envelope, level, cancellationToken);
    }

    /// <summary>Stores a batch at the level of its most demanding event, keeping the batch's order.</summary>
    public ValueTask StoreBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        List<EventEnvelope>? stored = null;
        PersistenceLevel batchLevel = PersistenceLevel.Standard;
        foreach (EventEnvelope envelope in envelopes)
        {
            PersistenceLevel level = options.LevelOf(envelope);
            if (level == PersistenceLevel.Temporary)
            {
                continue;
            }

            (stored ??= new List<EventEnvelope>(envelopes.Count)).Add(envelope);
            batchLevel = level > batchLevel ? level : batchLevel;
        }

        return stored is null ? ValueTask.CompletedTask : store.AppendBatchAsync(stored, batchLevel, cancellationToken);
    }

    /// <summary>Refuses a critical event for <see cref="IEventPublisher.TryPublish"/>, which can not wait for its write; checked before anything is reserved.</summary>
    public void ThrowIfCritical(EventEnvelope envelope)
    {
        if (options.LevelOf(envelope) == PersistenceLevel.Critical)
        {
            throw new InvalidOperationException(
                $"Event '{envelope.Type}' ({envelope.Id}) is critical: it must be stored before publishing returns, which TryPublish can not wait for. Publish it with PublishAsync.");
        }
    }

    /// <summary>For <see cref="IEventPublisher.TryPublish"/>, which can not wait: queues a standard write (critical events were refused before).</summary>
    public void StoreWithoutWaiting(EventEnvelope envelope)
    {
        PersistenceLevel level = options.LevelOf(envelope);
        if (level == PersistenceLevel.Standard)
        {
            ValueTask write = store.AppendAsync(envelope, level, CancellationToken.None);
            if (!write.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(write, envelope);
            }
        }
    }

    private async Task ObserveAsync(ValueTask write, EventEnvelope envelope)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A background write's failure is logged; the publisher has already moved on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.StoreWriteFailed(logger, exception, envelope.Id, envelope.Type);
        }
    }
}
