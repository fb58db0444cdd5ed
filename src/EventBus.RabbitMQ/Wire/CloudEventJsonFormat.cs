using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventBus.RabbitMQ;

/// <summary>
/// Writes events as CloudEvents 1.0 in structured JSON (<c>application/cloudevents+json</c>) and reads them back.
/// Payload types come from the <see cref="EventCatalog"/> only, never from the wire: a message of a type the catalogue
/// does not know is refused. The size is checked before parsing and the nesting depth is limited, so a hostile message
/// costs little; every refusal is a <see cref="WireFormatException"/> that says why.
/// </summary>
public sealed class CloudEventJsonFormat
{
    /// <summary>The default largest message read, in bytes: 1 MiB.</summary>
    public const int DefaultMaxMessageBytes = 1024 * 1024;

    /// <summary>The deepest JSON nesting read.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    private readonly EventCatalog _catalog;
    private readonly JsonSerializerOptions _payloadOptions;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="CloudEventJsonFormat"/> class.</summary>
    /// <param name="catalog">The event types that may be read, with their payload types.</param>
    /// <param name="payloadOptions">
    /// How payloads are (de)serialized; the catalogue's <see cref="EventCatalog.JsonOptions"/> when null, and options
    /// without a resolver take their contracts from the catalogue.
    /// </param>
    /// <param name="maxMessageBytes">The largest message read; larger ones are refused unparsed.</param>
    /// <param name="timeProvider">The clock for events that carry no time; <see cref="TimeProvider.System"/> when null.</param>
    public CloudEventJsonFormat(EventCatalog catalog, JsonSerializerOptions? payloadOptions = null, int maxMessageBytes = DefaultMaxMessageBytes, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        _catalog = catalog;
        _payloadOptions = catalog.JsonOptionsFor(payloadOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
        MaxMessageBytes = maxMessageBytes;
    }

    /// <summary>Gets the largest message read, in bytes.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Writes <paramref name="envelope"/> as a structured CloudEvent.</summary>
    /// <param name="envelope">The event.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public byte[] Encode(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArrayBufferWriter<byte> buffer = new(512);
        using (Utf8JsonWriter writer = new(buffer, WriterOptions))
        {
            Write(writer, envelope);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a structured CloudEvent.</summary>
    /// <param name="message">The UTF-8 JSON.</param>
    /// <returns>The event, with its original id and time.</returns>
    /// <exception cref="WireFormatException">The message is too large, malformed, of an unknown type, or its payload does not deserialize.</exception>
    public EventEnvelope Decode(ReadOnlyMemory<byte> message)
    {
        if (message.Length > MaxMessageBytes)
        {
            throw new WireFormatException(WireFormatError.TooLarge, $"The message has {message.Length} bytes; the limit is {MaxMessageBytes} (CloudEventJsonFormat.MaxMessageBytes). It was not parsed. Send smaller events, or raise the limit on every reader.");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return Read(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new WireFormatException(WireFormatError.Malformed, $"The message is not valid JSON (or nests deeper than {MaxDepth}): {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Joins events written by <see cref="Encode"/> into a CloudEvents batch (<c>application/cloudevents-batch+json</c>):
    /// a JSON array of structured events.
    /// </summary>
    /// <param name="events">The events, each as <see cref="Encode"/> wrote it.</param>
    /// <returns>The UTF-8 JSON array.</returns>
    internal static byte[] JoinBatch(IReadOnlyList<byte[]> events)
    {
        int length = 1 + events.Count + events.Sum(e => e.Length);
        byte[] batch = new byte[Math.Max(2, length)];
        int at = 0;
        batch[at++] = (byte)'[';
        for (int i = 0; i < events.Count; i++)
        {
            if (i > 0)
            {
                batch[at++] = (byte)',';
            }

            events[i].CopyTo(batch, at);
            at += events[i].Length;
        }

        batch[^1] = (byte)']';
        return batch;
    }

    /// <summary>
    /// Reads a CloudEvents batch. The size limit applies to the whole message, before parsing; a message that is not a
    /// JSON array is refused whole. Each entry is read on its own: one that can not become an event is returned with its
    /// error and its JSON, and the others are still read.
    /// </summary>
    /// <param name="message">The UTF-8 JSON array.</param>
    /// <returns>The entries, in the batch's order.</returns>
    /// <exception cref="WireFormatException">The message is too large, not valid JSON or not an array.</exception>
    internal List<BatchEntry> DecodeBatch(ReadOnlyMemory<byte> message)
    {
        if (message.Length > MaxMessageBytes)
        {
            throw new WireFormatException(WireFormatError.TooLarge, $"The batch has {message.Length} bytes; the limit is {MaxMessageBytes} (CloudEventJsonFormat.MaxMessageBytes). It was not parsed. Send smaller batches (RabbitMqOptions.EventsPerMessage), or raise the limit on every reader.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException exception)
        {
            throw new WireFormatException(WireFormatError.Malformed, $"The batch is not valid JSON (or nests deeper than {MaxDepth}): {exception.Message}", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Malformed($"The batch is a JSON {document.RootElement.ValueKind}; a CloudEvents batch is a JSON array of events.");
            }

            List<BatchEntry> entries = new(document.RootElement.GetArrayLength());
            foreach (JsonElement element in document.RootElement.EnumerateArray())
            {
                try
                {
                    entries.Add(new BatchEntry(Read(element), null, default));
                }
                catch (WireFormatException exception)
                {
                    // Only a refused entry keeps its JSON: it is dead-lettered as it came.
                    entries.Add(new BatchEntry(null, exception, Encoding.UTF8.GetBytes(element.GetRawText())));
                }
            }

            return entries;
        }
    }

    private void Write(Utf8JsonWriter writer, EventEnvelope envelope)
    {
        writer.WriteStartObject();
        writer.WriteString(CloudEventAttributes.SpecVersion, "1.0");
        writer.WriteString(CloudEventAttributes.Id, envelope.Id.ToString());
        writer.WriteString(CloudEventAttributes.Source, envelope.Source);
        writer.WriteString(CloudEventAttributes.Type, envelope.Type);
        writer.WriteString(CloudEventAttributes.Time, envelope.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        WriteIfSet(writer, CloudEventAttributes.Subject, envelope.WorkflowId);
        writer.WriteString(CloudEventAttributes.Kind, envelope.Kind.ToString());
        writer.WriteString(CloudEventAttributes.Priority, envelope.Priority.ToString());
        WriteIfSet(writer, CloudEventAttributes.Target, envelope.Target);
        WriteIfSet(writer, CloudEventAttributes.WorkflowId, envelope.WorkflowId);
        WriteIfSet(writer, CloudEventAttributes.Phase, envelope.Phase);
        WriteIfSet(writer, CloudEventAttributes.CorrelationId, envelope.CorrelationId);
        WriteIfSet(writer, CloudEventAttributes.CausationId, envelope.CausationId?.ToString());
        WriteIfSet(writer, CloudEventAttributes.PartitionKey, envelope.WorkflowId ?? envelope.CorrelationId);
        if (envelope.ExpiresAt is { } expiresAt)
        {
            writer.WriteString(CloudEventAttributes.ExpiryTime, expiresAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        }

        writer.WriteNumber(CloudEventAttributes.SchemaVersion, envelope.SchemaVersion);
        WriteIfSet(writer, CloudEventAttributes.Persistence, envelope.Persistence?.ToString());
        if (envelope.Metadata.Count > 0)
        {
            // Metadata keys need not follow the attribute naming rules, so they travel together as one JSON string;
            // the W3C trace context is also written as the CloudEvents distributed-tracing attributes.
            writer.WriteString(CloudEventAttributes.Metadata, JsonSerializer.Serialize(envelope.Metadata, WireJsonContext.Default.IReadOnlyDictionaryStringString));
            foreach (string key in (string[])["traceparent", "tracestate"])
            {
                if (envelope.Metadata.TryGetValue(key, out string? value))
                {
                    writer.WriteString(key, value);
                }
            }
        }

        if (envelope.Data is not null)
        {
            writer.WriteString(CloudEventAttributes.DataContentType, CloudEventAttributes.JsonContentType);
            writer.WritePropertyName(CloudEventAttributes.Data);
            if (envelope.Data is JsonElement element)
            {
                element.WriteTo(writer);
            }
            else
            {
                JsonSerializer.Serialize(writer, envelope.Data, _catalog.GetJsonTypeInfo(envelope.Data.GetType(), _payloadOptions));
            }
        }

        writer.WriteEndObject();
    }

    private EventEnvelope Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"The message is a JSON {root.ValueKind}, not an object; a structured CloudEvent is a JSON object.");
        }

        string specVersion = RequiredString(root, CloudEventAttributes.SpecVersion);
        if (specVersion != "1.0")
        {
            throw Malformed($"The specversion is '{Display(specVersion)}'; only CloudEvents 1.0 is read.");
        }

        string rawId = RequiredString(root, CloudEventAttributes.Id);
        string source = RequiredString(root, CloudEventAttributes.Source);
        string type = RequiredString(root, CloudEventAttributes.Type);
        if (!_catalog.TryGet(type, out EventTypeDescriptor? descriptor))
        {
            throw new WireFormatException(WireFormatError.UnknownType, $"Event type '{Display(type)}' is not in the EventCatalog of this application, so its payload can not be read safely. Register it with AddEventTypes(c => c.Register(...)).");
        }

        Dictionary<string, string> metadata = new(StringComparer.Ordinal);
        Guid id = ParseId(rawId, source, metadata);
        EventBuilder builder;
        try
        {
            builder = new EventBuilder(type)
                .WithSource(source)
                .WithKind(Enumerated<EventKind>(root, CloudEventAttributes.Kind) ?? EventKind.Notification)
                .WithPriority(Enumerated<EventPriority>(root, CloudEventAttributes.Priority) ?? EventPriority.Normal)
                .WithTarget(OptionalString(root, CloudEventAttributes.Target))
                .WithWorkflow(OptionalString(root, CloudEventAttributes.WorkflowId), OptionalString(root, CloudEventAttributes.Phase))
                .WithCorrelation(OptionalString(root, CloudEventAttributes.CorrelationId))
                .WithCausation(OptionalString(root, CloudEventAttributes.CausationId) is { } causation ? ParseGuid(causation, CloudEventAttributes.CausationId) : null)
                .WithSchemaVersion(root.TryGetProperty(CloudEventAttributes.SchemaVersion, out JsonElement version) ? ReadInt(version, CloudEventAttributes.SchemaVersion) : 1);
            if (Enumerated<PersistenceLevel>(root, CloudEventAttributes.Persistence) is { } persistence)
            {
                builder.WithPersistence(persistence);
            }

            if (OptionalString(root, CloudEventAttributes.ExpiryTime) is { } expiry)
            {
                builder.WithExpiry(ParseTime(expiry, CloudEventAttributes.ExpiryTime));
            }

            ReadMetadata(root, metadata);
            builder.WithMetadata(metadata);
            builder.WithData(ReadData(root, type, descriptor.PayloadType));
            DateTimeOffset time = OptionalString(root, CloudEventAttributes.Time) is { } rawTime ? ParseTime(rawTime, CloudEventAttributes.Time) : _timeProvider.GetUtcNow();
            return builder.BuildStored(id, time);
        }
        catch (ArgumentException exception)
        {
            throw new WireFormatException(WireFormatError.Malformed, $"Event '{Display(type)}' ({Display(rawId)}) has an attribute the envelope refuses: {exception.Message}", exception);
        }
    }

    private object? ReadData(JsonElement root, string type, Type? payloadType)
    {
        if (root.TryGetProperty(CloudEventAttributes.Data, out JsonElement data))
        {
            if (data.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            // A catalogued type without a payload type keeps the JSON as it came.
            if (payloadType is null)
            {
                return data.Clone();
            }

            try
            {
                return data.Deserialize(_catalog.GetJsonTypeInfo(payloadType, _payloadOptions));
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new WireFormatException(WireFormatError.UndeserializablePayload, $"The payload of event type '{Display(type)}' does not deserialize into {payloadType.FullName}, the type its catalogue entry names: {exception.Message}", exception);
            }
        }

        if (root.TryGetProperty(CloudEventAttributes.DataBase64, out JsonElement base64))
        {
            byte[] bytes = base64.ValueKind == JsonValueKind.String && base64.TryGetBytesFromBase64(out byte[]? decoded)
                ? decoded
                : throw Malformed("data_base64 is not a base64 string.");
            if (payloadType is null || payloadType == typeof(byte[]))
            {
                return bytes;
            }

            try
            {
                return JsonSerializer.Deserialize(bytes, _catalog.GetJsonTypeInfo(payloadType, _payloadOptions));
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new WireFormatException(WireFormatError.UndeserializablePayload, $"The base64 payload of event type '{Display(type)}' does not deserialize into {payloadType.FullName}: {exception.Message}", exception);
            }
        }

        return null;
    }

    private static void ReadMetadata(JsonElement root, Dictionary<string, string> metadata)
    {
        if (OptionalString(root, CloudEventAttributes.Metadata) is { } json)
        {
            Dictionary<string, string>? carried;
            try
            {
                carried = JsonSerializer.Deserialize(json, WireJsonContext.Default.DictionaryStringString);
            }
            catch (JsonException exception)
            {
                throw new WireFormatException(WireFormatError.Malformed, $"The metadata attribute is not a JSON object of strings: {exception.Message}", exception);
            }

            foreach (KeyValuePair<string, string> entry in carried ?? [])
            {
                metadata[entry.Key] = entry.Value;
            }
        }

        // Attributes of other producers (extensions we do not know) are kept as metadata.
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!CloudEventAttributes.Known.Contains(property.Name) && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                metadata.TryAdd(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
            }
        }
    }

    /// <summary>Our ids are GUIDs; another producer's id that is not becomes a GUID derived from its source and id, kept in metadata.</summary>
    private static Guid ParseId(string rawId, string source, Dictionary<string, string> metadata)
    {
        if (Guid.TryParse(rawId, out Guid id))
        {
            return id;
        }

        metadata[CloudEventAttributes.ForeignId] = rawId;
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + rawId));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) is { Length: > 0 } value ? value : throw Malformed($"The required attribute '{name}' is missing or empty.");

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Malformed($"The attribute '{name}' is a JSON {value.ValueKind}; it must be a string.");
    }

    private static T? Enumerated<T>(JsonElement root, string name)
        where T : struct, Enum =>
        OptionalString(root, name) is { } value
            ? Enum.TryParse(value, ignoreCase: true, out T parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
                ? parsed
                : throw Malformed($"The attribute '{name}' is '{Display(value)}', which is not one of {string.Join(", ", Enum.GetNames<T>())}.")
            : null;

    private static int ReadInt(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : throw Malformed($"The attribute '{name}' must be an integer.");

    private static Guid ParseGuid(string value, string name) =>
        Guid.TryParse(value, out Guid parsed) ? parsed : throw Malformed($"The attribute '{name}' is '{Display(value)}', not a GUID.");

    private static DateTimeOffset ParseTime(string value, string name) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed)
            ? parsed
            : throw Malformed($"The attribute '{name}' is '{Display(value)}', not an RFC 3339 timestamp.");

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static WireFormatException Malformed(string message) => new(WireFormatError.Malformed, message);

    /// <summary>Shortens and escapes text from the wire before it reaches a message.</summary>
    private static string Display(string value)
    {
        string shortened = value.Length > 100 ? value[..100] + "…" : value;
        StringBuilder escaped = new(shortened.Length);
        foreach (char c in shortened)
        {
            escaped.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.ToString();
    }
}
