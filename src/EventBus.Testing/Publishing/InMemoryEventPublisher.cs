using Microsoft.Extensions.Time.Testing;

namespace EventBus.Testing;

/// <summary>
/// An <see cref="IEventPublisher"/> that records every event instead of delivering it, so a unit test can check
/// what the code under test published. Thread-safe. Code under test can not tell it from the real bus.
/// </summary>
public sealed class InMemoryEventPublisher : IEventPublisher
{
    /// <summary>Initializes a new instance of the <see cref="InMemoryEventPublisher"/> class.</summary>
    /// <param name="timeProvider">The clock handed to publishers; a new <see cref="FakeTimeProvider"/> when null.</param>
    public InMemoryEventPublisher(TimeProvider? timeProvider = null) => TimeProvider = timeProvider ?? new FakeTimeProvider();

    /// <inheritdoc />
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the recorded events.</summary>
    public RecordedEvents Published { get; } = new();

    /// <inheritdoc />
    public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        cancellationToken.ThrowIfCancellationRequested();
        Published.Add(envelope);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public bool TryPublish(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Published.Add(envelope);
        return true;
    }

    /// <inheritdoc />
    public ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        for (int i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i] is null)
            {
                throw new ArgumentException($"The batch holds null at index {i}; remove it. No event of the batch was published.", nameof(envelopes));
            }
        }

        foreach (EventEnvelope envelope in envelopes)
        {
            Published.Add(envelope);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Nothing subscribes to the in-memory publisher, so the report always lists no outcome.</remarks>
    public ValueTask<PublishReport> PublishAndWaitAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
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
