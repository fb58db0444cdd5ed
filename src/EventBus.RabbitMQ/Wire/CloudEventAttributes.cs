namespace EventBus.RabbitMQ;

/// <summary>
/// The CloudEvents attribute names of the wire format. The standard ones, then our envelope fields as extension
/// attributes (lower-case letters and digits only, as the CloudEvents naming rules require).
/// </summary>
internal static class CloudEventAttributes
{
    public const string SpecVersion = "specversion";
    public const string Id = "id";
    public const string Source = "source";
    public const string Type = "type";
    public const string Time = "time";
    public const string DataContentType = "datacontenttype";
    public const string Subject = "subject";
    public const string Data = "data";
    public const string DataBase64 = "data_base64";

    public const string CorrelationId = "correlationid";
    public const string CausationId = "causationid";
    public const string ExpiryTime = "expirytime";
    public const string PartitionKey = "partitionkey";
    public const string Kind = "eventkind";
    public const string Priority = "priority";
    public const string Target = "target";
    public const string WorkflowId = "workflowid";
    public const string Phase = "phase";
    public const string SchemaVersion = "schemaversion";
    public const string Persistence = "persistence";
    public const string Metadata = "metadata";

    /// <summary>The original id of a foreign event whose id is not a GUID; its envelope id is derived from it.</summary>
    public const string ForeignId = "cloudevents_id";

    public const string JsonContentType = "application/json";

    /// <summary>The content type of a structured-mode CloudEvent in JSON.</summary>
    public const string StructuredContentType = "application/cloudevents+json";

    /// <summary>The content type of a batch of CloudEvents in JSON: an array of structured events.</summary>
    public const string BatchContentType = "application/cloudevents-batch+json";

    /// <summary>Attributes the format reads itself; any other is kept in the event's metadata.</summary>
    public static readonly HashSet<string> Known =
    [
        SpecVersion, Id, Source, Type, Time, DataContentType, Subject, Data, DataBase64, CorrelationId, CausationId, ExpiryTime,
        PartitionKey, Kind, Priority, Target, WorkflowId, Phase, SchemaVersion, Persistence, Metadata,
    ];
}
