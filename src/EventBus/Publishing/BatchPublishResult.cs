namespace EventBus;

/// <summary>What <see cref="IEventPublisher.PublishBatchAsync"/> did with a batch.</summary>
public sealed class BatchPublishResult
{
    /// <summary>Gets the batch's id, which every event of the batch carries in its <see cref="EventMetadataKeys.BatchId"/> metadata.</summary>
    public required Guid BatchId { get; init; }

    /// <summary>Gets the number of events in the batch.</summary>
    public int Size => Events.Count;

    /// <summary>
    /// Gets the number of events the bus accepted: <see cref="Size"/>, unless the bus was full in a drop mode
    /// (<see cref="BusFullMode.DropWrite"/>, <see cref="BusFullMode.DropOldest"/>), which decides event by event.
    /// Every dropped event is counted and logged.
    /// </summary>
    public required int Accepted { get; init; }

    /// <summary>Gets the events as published, in batch order: the same ids as given, each stamped with the batch id.</summary>
    public required IReadOnlyList<EventEnvelope> Events { get; init; }
}
