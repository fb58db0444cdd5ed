using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventBus;

/// <summary>What every typed publisher shares: the target publisher, the source id and the best-effort policy.</summary>
internal sealed class PublisherCore
{
    private long _failures;

    public PublisherCore(IEventPublisher publisher, EventPublisherOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        options ??= new EventPublisherOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Source, "options.Source");
        Publisher = publisher;
        Source = options.Source;
        BestEffort = options.BestEffort;
        Logger = logger ?? NullLogger.Instance;
    }

    public IEventPublisher Publisher { get; }

    public string Source { get; }

    public bool BestEffort { get; }

    public ILogger Logger { get; }

    public long Failures => Interlocked.Read(ref _failures);

    public TimeProvider Time => Publisher.TimeProvider;

    public EventBuilder NewEvent(string type, EventKind kind) => new EventBuilder(type).WithKind(kind).WithSource(Source);

    public async ValueTask<PublishResult> PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await Publisher.PublishAsync(envelope, cancellationToken).ConfigureAwait(false);
            return new PublishResult(envelope, null);
        }
        catch (Exception exception) when (BestEffort && IsDegradation(exception))
        {
            return Degrade(envelope, exception, 1);
        }
    }

    public async ValueTask<IReadOnlyList<PublishResult>> PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            // The results carry the events as published, stamped with the batch id.
            envelopes = (await Publisher.PublishBatchAsync(envelopes, cancellationToken).ConfigureAwait(false)).Events;
        }
        catch (Exception exception) when (BestEffort && IsDegradation(exception))
        {
            Degrade(envelopes[0], exception, envelopes.Count);
            error = exception;
        }

        PublishResult[] results = new PublishResult[envelopes.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = new PublishResult(envelopes[i], error);
        }

        return results;
    }

    // Only the bus's own refusals degrade; bad input and cancellation always surface.
    private static bool IsDegradation(Exception exception) => exception is EventBusStoppedException or EventBusFullException;

    private PublishResult Degrade(EventEnvelope envelope, Exception exception, int count)
    {
        Interlocked.Add(ref _failures, count);
        Log.BestEffortPublishFailed(Logger, exception, count, envelope.Type, envelope.Id, exception.Message);
        return new PublishResult(envelope, exception);
    }
}
