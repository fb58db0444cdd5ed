namespace EventBus;

/// <summary>What happened to an event published with <see cref="IEventPublisher.PublishAndWaitAsync"/>.</summary>
public sealed class PublishReport
{
    /// <summary>Initializes a new instance of the <see cref="PublishReport"/> class.</summary>
    /// <param name="eventId">The id of the published event.</param>
    /// <param name="outcomes">One outcome per subscription that matched the event; test doubles and decorators pass their own.</param>
    public PublishReport(Guid eventId, IReadOnlyList<DeliveryOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        EventId = eventId;
        Outcomes = outcomes;
    }

    /// <summary>Gets the id of the published event.</summary>
    public Guid EventId { get; }

    /// <summary>Gets one outcome per subscription that matched the event, in completion order.</summary>
    public IReadOnlyList<DeliveryOutcome> Outcomes { get; }

    /// <summary>Gets the number of subscriptions whose handler completed successfully.</summary>
    public int HandledCount => Count(DeliveryResult.Handled);

    /// <summary>Gets the number of subscriptions whose handler threw.</summary>
    public int FailedCount => Count(DeliveryResult.Failed);

    /// <summary>Gets a value indicating whether every matching subscription handled the event successfully.</summary>
    public bool Succeeded => HandledCount == Outcomes.Count;

    /// <inheritdoc />
    public override string ToString() =>
        $"Event {EventId}: {Outcomes.Count} matched, {HandledCount} handled, {FailedCount} failed, {Outcomes.Count - HandledCount - FailedCount} not handled";

    private int Count(DeliveryResult result)
    {
        // Indexed: a foreach over the IReadOnlyList would allocate an enumerator on every read of a count.
        IReadOnlyList<DeliveryOutcome> outcomes = Outcomes;
        int count = 0;
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Result == result)
            {
                count++;
            }
        }

        return count;
    }
}
