using System.Diagnostics;

namespace EventBus;

/// <summary>
/// Tracing and ambient metadata, after the OpenTelemetry messaging conventions. Publishing starts a producer span
/// (<c>send {type}</c>) and writes its context into the event's metadata through
/// <see cref="DistributedContextPropagator.Current"/> (W3C <c>traceparent</c>, <c>tracestate</c> and <c>baggage</c> by
/// default), together with ambient ids (<see cref="EventContext"/>, the current trace id); handling starts a consumer
/// span (<c>process {type}</c>) that continues that trace, links to it, and carries its baggage. With no listener and
/// no ambient data, the envelope is passed on untouched and nothing is allocated.
/// </summary>
internal static class BusTracing
{
    public const string TraceParentKey = "traceparent";
    public const string TraceStateKey = "tracestate";
    public const string BaggageKey = "baggage";
    public const string TraceIdKey = "trace_id";
    private const string System = "eventbus";

    public static readonly ActivitySource Source = new(EventBusDiagnostics.ActivitySourceName);

    /// <summary>Starts the publish activity (when someone listens) and returns the envelope enriched with trace and ambient metadata.</summary>
    public static EventEnvelope OnPublish(EventEnvelope envelope, out Activity? activity)
    {
        activity = Source.HasListeners() ? StartSend(envelope) : null;
        Activity? current = activity ?? Activity.Current;
        return current is null && EventContext.CurrentValues is null ? envelope : Enrich(envelope, current, overwriteTrace: activity is not null);
    }

    /// <summary>Starts one producer activity for a batch, when someone listens; the batch's events then carry its context.</summary>
    public static Activity? StartBatch(int count)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // A batch may hold several types, so its span is named for the operation alone, as the conventions ask.
        Activity? activity = Source.StartActivity("send", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetOperation(activity, "send");
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

    /// <summary>
    /// Starts the consumer activity for one delivery attempt, when someone listens: a child of the context the event
    /// was created in, with a link to it (the conventions' creation context) and the baggage it carried.
    /// </summary>
    public static Activity? StartProcess(EventEnvelope envelope, string? subscriberId, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext creation = CreationContext(envelope);
        ActivityLink[]? links = creation == default ? null : [new ActivityLink(creation)];
        Activity? activity = Source.StartActivity(ActivityKind.Consumer, creation, tags: null, links, name: "process " + envelope.Type);
        if (activity is null)
        {
            return null;
        }

        AddBaggage(activity, envelope);
        if (activity.IsAllDataRequested)
        {
            SetOperation(activity, "process");
            SetMessage(activity, envelope);
            activity.SetTag("messaging.consumer.group.name", subscriberId);
            activity.SetTag("eventbus.attempt", attempt);
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

    /// <summary>
    /// The producer span's parent: the caller's activity, or, when there is none, the context the event already carries
    /// (an event received from a broker and published here keeps the trace of the application that created it).
    /// </summary>
    private static Activity? StartSend(EventEnvelope envelope)
    {
        ActivityContext parent = Activity.Current is null ? CreationContext(envelope) : default;
        Activity? activity = Source.StartActivity(ActivityKind.Producer, parent, name: "send " + envelope.Type);
        if (activity is not null && parent != default)
        {
            // The context is written again from this span, so the baggage it came with has to travel on with it.
            AddBaggage(activity, envelope);
        }

        if (activity is { IsAllDataRequested: true })
        {
            SetOperation(activity, "send");
            SetMessage(activity, envelope);
        }

        return activity;
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
                // The propagator writes only what it has: a context carried in from elsewhere must not leave its state behind.
                metadata.Remove(TraceParentKey);
                metadata.Remove(TraceStateKey);
                metadata.Remove(BaggageKey);
                DistributedContextPropagator.Current.Inject(current, metadata, static (carrier, key, value) => ((Dictionary<string, string>)carrier!)[key] = value);
            }
        }

        return envelope.WithMetadata(metadata);
    }

    private static ActivityContext CreationContext(EventEnvelope envelope)
    {
        if (envelope.Metadata.Count == 0)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(envelope.Metadata, ReadField, out string? traceParent, out string? traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out ActivityContext context) ? context : default;
    }

    private static void AddBaggage(Activity activity, EventEnvelope envelope)
    {
        if (envelope.Metadata.Count == 0 || DistributedContextPropagator.Current.ExtractBaggage(envelope.Metadata, ReadField) is not { } baggage)
        {
            return;
        }

        // An activity lists its baggage newest first: added last to first, it is written on in the order it came.
        foreach (KeyValuePair<string, string?> item in baggage.Reverse())
        {
            activity.AddBaggage(item.Key, item.Value);
        }
    }

    private static void ReadField(object? carrier, string fieldName, out string? fieldValue, out IEnumerable<string>? fieldValues)
    {
        fieldValues = null;
        fieldValue = ((IReadOnlyDictionary<string, string>)carrier!).TryGetValue(fieldName, out string? value) ? value : null;
    }

    private static void SetOperation(Activity activity, string operation)
    {
        activity.SetTag("messaging.system", System);
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.operation.type", operation);
    }

    private static void SetMessage(Activity activity, EventEnvelope envelope)
    {
        activity.SetTag("messaging.destination.name", envelope.Type);
        activity.SetTag("messaging.message.id", envelope.Id.ToString());
        if (envelope.CorrelationId is { } correlation)
        {
            activity.SetTag("messaging.message.conversation_id", correlation);
        }
    }
}
