using System.Diagnostics;

namespace EventBus;

/// <summary>
/// Tracing and ambient metadata. Publishing starts a producer activity and writes its W3C context into the event's
/// metadata (<c>traceparent</c>, <c>tracestate</c>) together with ambient ids (<see cref="EventContext"/>, the current
/// trace id); handling starts a consumer activity that continues that trace. With no listener and no ambient data,
/// the envelope is passed on untouched and nothing is allocated.
/// </summary>
internal static class BusTracing
{
    public const string TraceParentKey = "traceparent";
    public const string TraceStateKey = "tracestate";
    public const string TraceIdKey = "trace_id";

    public static readonly ActivitySource Source = new(EventBusDiagnostics.ActivitySourceName);

    /// <summary>Starts the publish activity (when someone listens) and returns the envelope enriched with trace and ambient metadata.</summary>
    public static EventEnvelope OnPublish(EventEnvelope envelope, out Activity? activity)
    {
        activity = Source.HasListeners() ? StartPublish(envelope) : null;
        Activity? current = activity ?? Activity.Current;
        return current is null && EventContext.CurrentValues is null ? envelope : Enrich(envelope, current, overwriteTrace: activity is not null);
    }

    private static EventEnvelope Enrich(EventEnvelope envelope, Activity? current, bool overwriteTrace)
    {
        IReadOnlyDictionary<string, string>? ambient = EventContext.CurrentValues;
        Dictionary<string, string> metadata = new(envelope.Metadata, StringComparer.Ordinal);
        if (ambient is not null)
        {
            foreach (KeyValuePair<string, string> entry in ambient)
            {
                metadata.TryAdd(entry.Key, entry.Value);
            }
        }

        if (current is not null)
        {
            metadata.TryAdd(TraceIdKey, current.TraceId.ToHexString());
            if (overwriteTrace || !metadata.ContainsKey(TraceParentKey))
            {
                metadata[TraceParentKey] = current.Id!;
                if (current.TraceStateString is { } state)
                {
                    metadata[TraceStateKey] = state;
                }
            }
        }

        return envelope.WithMetadata(metadata);
    }

    /// <summary>Starts one producer activity for a batch, when someone listens; the batch's events then carry its context.</summary>
    public static Activity? StartBatch(int count)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity("batch publish", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "eventbus");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.batch.message_count", count);
        }

        return activity;
    }

    /// <summary>Adds trace and ambient metadata to each event of a batch; returns the batch itself when there is nothing to add.</summary>
    public static IReadOnlyList<EventEnvelope> Enrich(IReadOnlyList<EventEnvelope> envelopes)
    {
        if (Activity.Current is null && EventContext.CurrentValues is null)
        {
            return envelopes;
        }

        EventEnvelope[] enriched = new EventEnvelope[envelopes.Count];
        for (int i = 0; i < enriched.Length; i++)
        {
            enriched[i] = Enrich(envelopes[i], Activity.Current, overwriteTrace: false);
        }

        return enriched;
    }

    /// <summary>Starts the consumer activity for one delivery attempt, continuing the trace stored in the event, when someone listens.</summary>
    public static Activity? StartProcess(EventEnvelope envelope, string subscriberId, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        if (envelope.Metadata.TryGetValue(TraceParentKey, out string? traceParent))
        {
            envelope.Metadata.TryGetValue(TraceStateKey, out string? traceState);
            ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent);
        }

        Activity? activity = Source.StartActivity(envelope.Type + " process", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "eventbus");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", envelope.Type);
            activity.SetTag("messaging.message.id", envelope.Id.ToString());
            activity.SetTag("messaging.consumer.group.name", subscriberId);
            activity.SetTag("eventbus.attempt", attempt);
            if (envelope.CorrelationId is { } correlation)
            {
                activity.SetTag("messaging.message.conversation_id", correlation);
            }
        }

        return activity;
    }

    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
    }

    private static Activity? StartPublish(EventEnvelope envelope)
    {
        Activity? activity = Source.StartActivity(envelope.Type + " publish", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "eventbus");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", envelope.Type);
            activity.SetTag("messaging.message.id", envelope.Id.ToString());
        }

        return activity;
    }
}
