using Microsoft.Extensions.Time.Testing;

namespace EventBus.Testing;

/// <summary>
/// An <see cref="IEventPublisher"/> that records every event instead of delivering it, so a unit test can check
/// what the code under test published. Thread-safe. Code under test can not tell it from the real bus: it refuses what
/// the bus refuses (null events, a batch holding null, events beyond <see cref="Limits"/>) with the same exceptions, and
/// stamps batches as the bus does; a shared test suite runs against both.
/// </summary>
public sealed class InMemoryEventPublisher : IEventPublisher
{
    /// <summary>Initializes a new instance of the <see cref="InMemoryEventPublisher"/> class.</summary>
    /// <param name="timeProvider">The clock handed to publishers; a new <see cref="FakeTimeProvider"/> when null.</param>
    public InMemoryEventPublisher(TimeProvider? timeProvider = null) => TimeProvider = timeProvider ?? new FakeTimeProvider();

    /// <inheritdoc />
    public TimeProvider TimeProvider { get; }

    private EventLimits _limits = new();

    /// <summary>Gets the recorded events.</summary>
    public RecordedEvents Published { get; } = new();

    /// <summary>Gets or sets the size limits events are checked against, as the bus checks its <see cref="EventBusOptions.Limits"/>.</summary>
    /// <value>The bus's defaults.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public EventLimits Limits
    {
        get => _limits;
        set => _limits = value ?? throw new ArgumentNullException(nameof(value), "InMemoryEventPublisher.Limits can not be null; set the limits you need on a new EventLimits.");
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        Limits.ThrowIfExceeded(envelope, nameof(envelope));
        cancellationToken.ThrowIfCancellationRequested();
        Published.Add(envelope);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public bool TryPublish(EventEnvelope envelope)
    {
        Limits.ThrowIfExceeded(envelope, nameof(envelope));
        Published.Add(envelope);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>As the bus does, stamps every event with a new batch id; the whole batch is recorded.</remarks>
    public ValueTask<BatchPublishResult> PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        Guid batchId = Guid.CreateVersion7(TimeProvider.GetUtcNow());
        EventEnvelope[] batch = new EventEnvelope[envelopes.Count];
        for (int i = 0; i < batch.Length; i++)
        {
            if (envelopes[i] is null)
            {
                throw new ArgumentException($"The batch holds null at index {i}; remove it. No event of the batch was published.", nameof(envelopes));
            }

            batch[i] = envelopes[i].WithMetadata(EventMetadataKeys.BatchId, batchId.ToString());
            Limits.ThrowIfExceeded(batch[i], nameof(envelopes));
        }

        foreach (EventEnvelope envelope in batch)
        {
            Published.Add(envelope);
        }

        return ValueTask.FromResult(new BatchPublishResult { BatchId = batchId, Accepted = batch.Length, Events = batch });
    }

    /// <inheritdoc />
    /// <remarks>Nothing subscribes to the in-memory publisher, so the report always lists no outcome.</remarks>
    public ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        Limits.ThrowIfExceeded(envelope, nameof(envelope));
        Published.Add(envelope);
        return ValueTask.FromResult(new PublishReport(envelope.Id, []));
    }

    /// <summary>Starts an expectation about the recorded events of a type or pattern.</summary>
    /// <param name="typePattern">An exact type or a pattern such as <c>phase.*</c>.</param>
    /// <returns>The expectation; a terminal call such as <see cref="PublishedExpectation.Once"/> checks it.</returns>
    public PublishedExpectation ExpectPublished(string typePattern) => new(Published, typePattern);

    /// <summary>Forgets every recorded event.</summary>
    public void Reset() => Published.Clear();
}
