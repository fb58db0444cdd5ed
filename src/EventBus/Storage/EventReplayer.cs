namespace EventBus;

/// <summary>
/// Republishes stored events into the bus, to every matching subscription or to
/// one only, optionally rate-limited. Replayed events carry <see cref="EventMetadataKeys.Replayed"/> = <c>true</c>
/// so handlers can tell, keep their ids, and are not stored again.
/// </summary>
public sealed class EventReplayer
{
    private readonly IEventBus _bus;
    private readonly IEventStore _store;

    /// <summary>Initializes a new instance of the <see cref="EventReplayer"/> class.</summary>
    /// <param name="bus">The bus to republish into.</param>
    /// <param name="store">The store to read from.</param>
    public EventReplayer(IEventBus bus, IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(store);
        _bus = bus;
        _store = store;
    }

    /// <summary>Replays the stored events that <paramref name="query"/> selects, in its order, page after page.</summary>
    /// <param name="query">The criteria; its continuation token says where to start, and its page size how many events are read at a time.</param>
    /// <param name="options">The target subscription, the rate and the most events to republish, or null.</param>
    /// <param name="cancellationToken">Stops the replay; what was republished stays republished.</param>
    /// <returns>What the replay did.</returns>
    /// <exception cref="ArgumentException">The target subscription does not exist, or the rate or the limit is not positive.</exception>
    public async Task<ReplayResult> ReplayAsync(EventQuery query, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= new ReplayOptions();
        Validate(options);
        TimeProvider time = _bus.TimeProvider;
        long started = time.GetTimestamp();
        long replayed = 0, skipped = 0;
        List<Guid> skippedIds = [];
        long limit = options.Limit ?? long.MaxValue;
        Task<EventPage>? next = ReadAsync(query.Copy(), cancellationToken);
        while (next is not null)
        {
            EventPage events = await next.ConfigureAwait(false);
            next = null;

            // The next page is read while this one is republished, unless this page alone may reach the limit.
            if (events.ContinuationToken is not null && replayed + events.Events.Count < limit)
            {
                next = ReadAfter(query, events.ContinuationToken, cancellationToken);
            }

            foreach (EventEnvelope envelope in events.Events)
            {
                if (replayed == limit)
                {
                    break;
                }

                if (envelope.Data is UnreadablePayload)
                {
                    skipped++;
                    if (skippedIds.Count < 100)
                    {
                        skippedIds.Add(envelope.Id);
                    }

                    continue;
                }

                if (options.MaxEventsPerSecond is { } rate)
                {
                    await WaitForTurnAsync(time, started, replayed, rate, cancellationToken).ConfigureAwait(false);
                }

                await _bus.PublishAsync(envelope.ForReplay(options.SubscriptionId), cancellationToken).ConfigureAwait(false);
                replayed++;
            }

            // Skipped events left the limit unreached: the page not read ahead is still needed.
            if (next is null && events.ContinuationToken is not null && replayed < limit)
            {
                next = ReadAfter(query, events.ContinuationToken, cancellationToken);
            }
        }

        return new ReplayResult { Replayed = replayed, Skipped = skipped, SkippedEventIds = skippedIds, Elapsed = time.GetElapsedTime(started) };
    }

    /// <summary>Replays a workflow's events in order, from a timestamp on.</summary>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="from">The earliest timestamp, inclusive; null for the beginning.</param>
    /// <param name="options">The target subscription, the rate and the most events to republish, or null.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>What the replay did.</returns>
    public Task<ReplayResult> ReplayWorkflowAsync(string workflowId, DateTimeOffset? from = null, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        return ReplayAsync(new EventQuery { WorkflowId = workflowId, From = from, PageSize = 1_000 }, options, cancellationToken);
    }

    private static async Task WaitForTurnAsync(TimeProvider time, long started, long replayed, double rate, CancellationToken cancellationToken)
    {
        TimeSpan due = TimeSpan.FromSeconds(replayed / rate);
        TimeSpan elapsed = time.GetElapsedTime(started);
        if (due > elapsed)
        {
            await Task.Delay(due - elapsed, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<EventPage> ReadAfter(EventQuery query, string continuationToken, CancellationToken cancellationToken)
    {
        EventQuery following = query.Copy();
        following.ContinuationToken = continuationToken;
        return ReadAsync(following, cancellationToken);
    }

    private Task<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken) =>
        Task.Run(() => _store.QueryAsync(query, cancellationToken).AsTask(), cancellationToken);

    private void Validate(ReplayOptions options)
    {
        if (options.Limit is { } limit && limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), limit, $"ReplayOptions.Limit is {limit}; replay at least 1 event, or leave it null to replay everything the query selects.");
        }

        if (options.MaxEventsPerSecond is { } rate && !(rate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), rate, $"ReplayOptions.MaxEventsPerSecond is {rate}; it must be positive, or null for no limit.");
        }

        if (options.SubscriptionId is { } id && !_bus.Subscriptions.Any(s => s.Id == id))
        {
            throw new ArgumentException($"ReplayOptions.SubscriptionId {id} names no live subscription of the bus; pass the Id of one of IEventBus.Subscriptions, or null for all.", nameof(options));
        }
    }
}
