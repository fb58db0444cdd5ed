using Microsoft.Extensions.Logging;

namespace EventBus;

/// <summary>Source-generated log messages: no allocation when the level is off.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Event bus started with {WorkerCount} workers, capacity {Capacity} ({FullMode}); {Held} events were held before start")]
    public static partial void Started(ILogger logger, int workerCount, int capacity, BusFullMode fullMode, long held);

    [LoggerMessage(2, LogLevel.Information, "Event bus stopping; draining {Outstanding} outstanding deliveries within {DrainTimeout}")]
    public static partial void Stopping(ILogger logger, long outstanding, TimeSpan drainTimeout);

    [LoggerMessage(3, LogLevel.Information, "Event bus stopped after {Elapsed}; drained completely")]
    public static partial void Stopped(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(4, LogLevel.Warning, "Event bus stopped after {Elapsed} with {Unhandled} deliveries left unhandled (drain deadline passed or subscription paused) and {Pending} still pending in handlers that outlived their cancelled token")]
    public static partial void StoppedIncomplete(ILogger logger, TimeSpan elapsed, long unhandled, long pending);

    [LoggerMessage(10, LogLevel.Error, "Handler of subscription {SubscriptionId} ({SubscriberId}) failed on event {EventId} of type {EventType} after {Attempts} attempt(s); giving up")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, Guid subscriptionId, string subscriberId, Guid eventId, string eventType, int attempts);

    [LoggerMessage(12, LogLevel.Warning, "Handler of subscription {SubscriptionId} ({SubscriberId}) failed on event {EventId} of type {EventType}, attempt {Attempt}; retrying in {Delay}")]
    public static partial void HandlerRetrying(ILogger logger, Exception exception, Guid subscriptionId, string subscriberId, Guid eventId, string eventType, int attempt, TimeSpan delay);

    [LoggerMessage(13, LogLevel.Warning, "Event {EventId} of type {EventType} expired at {ExpiresAt} before subscription {SubscriberId} could handle it")]
    public static partial void EventExpired(ILogger logger, Guid eventId, string eventType, string subscriberId, DateTimeOffset expiresAt);

    [LoggerMessage(14, LogLevel.Warning, "Handler of subscription {SubscriptionId} ({SubscriberId}) ran past its timeout of {Timeout} on event {EventId} of type {EventType} but completed; counted as handled")]
    public static partial void HandlerOverran(ILogger logger, Guid subscriptionId, string subscriberId, Guid eventId, string eventType, TimeSpan timeout);

    [LoggerMessage(15, LogLevel.Error, "Delivering event {EventId} of type {EventType} to subscription {SubscriptionId} ({SubscriberId}) failed outside its handler; the event was dead-lettered as faulted and the lane goes on")]
    public static partial void LaneFault(ILogger logger, Exception exception, Guid subscriptionId, string subscriberId, Guid eventId, string eventType);

    [LoggerMessage(24, LogLevel.Warning, "Dead-letter queue full ({Capacity}): evicted the oldest dead letter, event {EventId} of type {EventType} for {SubscriberId}")]
    public static partial void DeadLetterEvicted(ILogger logger, int capacity, Guid eventId, string eventType, string subscriberId);

    [LoggerMessage(11, LogLevel.Error, "Filter of subscription {SubscriptionId} ({SubscriberId}) threw on event {EventId} of type {EventType}; the event was not delivered to it")]
    public static partial void FilterFailed(ILogger logger, Exception exception, Guid subscriptionId, string subscriberId, Guid eventId, string eventType);

    [LoggerMessage(20, LogLevel.Warning, "Event bus full (capacity {Capacity}): dropped {Which} event {EventId} of type {EventType}")]
    public static partial void EventDropped(ILogger logger, int capacity, string which, Guid eventId, string eventType);

    [LoggerMessage(21, LogLevel.Warning, "Buffer of subscription {SubscriptionId} ({SubscriberId}) is full ({Capacity}); dropped event {EventId} of type {EventType} for it")]
    public static partial void SubscriptionBufferFull(ILogger logger, Guid subscriptionId, string subscriberId, int capacity, Guid eventId, string eventType);

    [LoggerMessage(22, LogLevel.Debug, "Event bus full (capacity {Capacity}): rejected event {EventId} of type {EventType}")]
    public static partial void EventRejected(ILogger logger, int capacity, Guid eventId, string eventType);

    [LoggerMessage(23, LogLevel.Warning, "Unknown event category '{Category}' of event {EventId} ({EventType}); no category route handles it")]
    public static partial void UnknownCategory(ILogger logger, string category, Guid eventId, string eventType);

    [LoggerMessage(30, LogLevel.Debug, "Subscription {SubscriptionId} ({SubscriberId}) added for {Filter}")]
    public static partial void SubscriptionAdded(ILogger logger, Guid subscriptionId, string subscriberId, string filter);

    [LoggerMessage(31, LogLevel.Debug, "Subscription {SubscriptionId} ({SubscriberId}) removed; {Discarded} buffered events were not handled")]
    public static partial void SubscriptionRemoved(ILogger logger, Guid subscriptionId, string subscriberId, long discarded);

    [LoggerMessage(5, LogLevel.Warning, "The handler of subscription {SubscriptionId} ({SubscriberId}) published while the bus was full (capacity {Capacity}); events handlers publish are admitted over capacity, because a handler made to wait for room could be waiting for itself. Later such publishes are counted in AdmittedOverCapacity, not logged")]
    public static partial void AdmittedOverCapacity(ILogger logger, Guid subscriptionId, string subscriberId, int capacity);

    [LoggerMessage(50, LogLevel.Error, "Storing event {EventId} of type {EventType} failed; it was published but may be missing from the store")]
    public static partial void StoreWriteFailed(ILogger logger, Exception exception, Guid eventId, string eventType);

    [LoggerMessage(42, LogLevel.Warning, "The workflow publisher tracks at most {Capacity} live workflows (EventPublisherOptions.MaxTrackedWorkflows) and forgot the least recently used, {WorkflowId}; later evictions are counted in EvictedWorkflows, not logged")]
    public static partial void WorkflowsEvicted(ILogger logger, int capacity, string workflowId);

    [LoggerMessage(40, LogLevel.Warning, "Best-effort publishing: {Count} event(s) starting with {EventType} {EventId} were not accepted: {Reason}")]
    public static partial void BestEffortPublishFailed(ILogger logger, Exception exception, int count, string eventType, Guid eventId, string reason);

    [LoggerMessage(41, LogLevel.Debug, "Response {EventId} to query {QueryId} arrived after its requester stopped waiting; it was discarded")]
    public static partial void LateResponse(ILogger logger, Guid eventId, Guid queryId);

    [LoggerMessage(51, LogLevel.Error, "Writing {Count} dead-letter change(s) to the store failed; they are kept in memory but may not survive a restart")]
    public static partial void DeadLetterStoreFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(52, LogLevel.Information, "Restored {Count} dead letter(s) from the store")]
    public static partial void DeadLettersRestored(ILogger logger, int count);

    [LoggerMessage(53, LogLevel.Error, "Reading dead letters back from the store failed; the bus starts without them")]
    public static partial void DeadLetterRestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(60, LogLevel.Warning, "Sending {Count} event(s) from the outbox to {Publisher} failed (attempt {Attempt}); retrying in {Delay}. The events stay in the store until the publisher takes them")]
    public static partial void RelaySendFailed(ILogger logger, Exception exception, int count, string publisher, int attempt, TimeSpan delay);

    [LoggerMessage(61, LogLevel.Error, "{Publisher} can never send event {EventType} {EventId}: it was dead-lettered and the outbox goes on")]
    public static partial void RelayRefused(ILogger logger, Exception exception, string publisher, string eventType, Guid eventId);

    [LoggerMessage(62, LogLevel.Information, "Relaying to {Publisher} from the store's log after position {Position}")]
    public static partial void RelayStarted(ILogger logger, string publisher, long position);

    [LoggerMessage(63, LogLevel.Error, "The outbox relay to {Publisher} stopped: reading the store failed; it starts again in {Delay}")]
    public static partial void RelayReadFailed(ILogger logger, Exception exception, string publisher, TimeSpan delay);

    [LoggerMessage(66, LogLevel.Information, "The outbox relay to {Publisher} waits: another process holds its lease on the store's log, and this one takes over when that one stops")]
    public static partial void RelayWaitingForLease(ILogger logger, string publisher);

    [LoggerMessage(67, LogLevel.Warning, "The outbox relay to {Publisher} lost its lease on the store's log; it stopped sending and waits for the lease again")]
    public static partial void RelayLeaseLost(ILogger logger, string publisher);

    [LoggerMessage(68, LogLevel.Warning, "The outbox relay to {Publisher} could not save its checkpoint at position {Position}; it goes on sending and saves it with the next one (after a restart in between, the events since the last saved one are sent again)")]
    public static partial void RelayCheckpointFailed(ILogger logger, Exception exception, string publisher, long position);

    [LoggerMessage(64, LogLevel.Information, "Retention pruned {Count} events from the store")]
    public static partial void RetentionPruned(ILogger logger, long count);

    [LoggerMessage(65, LogLevel.Error, "Applying the store's retention failed; it is tried again in {Interval}")]
    public static partial void RetentionFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(70, LogLevel.Debug, "{SubscriberId} handled {EventType} {EventId} in {ElapsedMilliseconds:0.###} ms")]
    public static partial void Handled(ILogger logger, string subscriberId, string eventType, Guid eventId, double elapsedMilliseconds);

    [LoggerMessage(71, LogLevel.Warning, "{SubscriberId} failed to handle {EventType} {EventId} after {ElapsedMilliseconds:0.###} ms")]
    public static partial void HandlingFailed(ILogger logger, Exception exception, string subscriberId, string eventType, Guid eventId, double elapsedMilliseconds);

    [LoggerMessage(72, LogLevel.Error, "A dead-letter change could not be queued for the store ({Reason}); the dead letter is kept in memory, but the store will not reflect the change")]
    public static partial void DeadLetterChangeNotQueued(ILogger logger, string reason);

    [LoggerMessage(73, LogLevel.Critical, "A lane loop of subscription {SubscriptionId} ({SubscriberId}) ended with an error; its events were not all handled")]
    public static partial void LaneLoopFailed(ILogger logger, Exception exception, Guid subscriptionId, string subscriberId);

    [LoggerMessage(74, LogLevel.Error, "A listener of the published-events counter threw while event {EventId} of type {EventType} was routed; the event was routed, its measurement was lost")]
    public static partial void PublishedMeasurementFailed(ILogger logger, Exception exception, Guid eventId, string eventType);
}
