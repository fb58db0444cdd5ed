using System.Text.Json;

namespace EventBus;

/// <summary>
/// Compiled into each store package (internal in each). Writes payloads as JSON with a type name (a registered alias, else the type's full name and assembly), and reads
/// them back. A payload that can not be read back becomes an <see cref="UnreadablePayload"/>, never an exception.
/// </summary>
internal sealed class PayloadSerializer
{
    private readonly JsonSerializerOptions _json;
    private readonly Dictionary<string, Type> _byAlias;
    private readonly Dictionary<Type, string> _aliases;

    // Type.GetType parses the name and searches assemblies on every call; stored events repeat few type names.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type?> _resolved = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> _names = new();

    public PayloadSerializer(JsonSerializerOptions json, IDictionary<string, Type> payloadTypes)
    {
        _json = json;
        _byAlias = new Dictionary<string, Type>(payloadTypes, StringComparer.Ordinal);
        _aliases = _byAlias.ToDictionary(pair => pair.Value, pair => pair.Key);
    }

    public (string? TypeName, byte[]? Json) Write(object? payload)
    {
        if (payload is null)
        {
            return (null, null);
        }

        Type type = payload.GetType();
        string name = _names.GetOrAdd(type, static (type, aliases) => aliases.TryGetValue(type, out string? alias) ? alias : $"{type.FullName}, {type.Assembly.GetName().Name}", _aliases);
        return (name, JsonSerializer.SerializeToUtf8Bytes(payload, type, _json));
    }

    public object? Read(string typeName, ReadOnlySpan<byte> json)
    {

        Type? type = _resolved.GetOrAdd(typeName, static (name, aliases) => aliases.TryGetValue(name, out Type? aliased) ? aliased : Type.GetType(name, throwOnError: false), _byAlias);
        if (type is null)
        {
            return new UnreadablePayload { TypeName = typeName, Json = System.Text.Encoding.UTF8.GetString(json), Error = $"Payload type '{typeName}' no longer exists; register it under that name in the store options' PayloadTypes." };
        }

        try
        {
            return JsonSerializer.Deserialize(json, type, _json);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            return new UnreadablePayload { TypeName = typeName, Json = System.Text.Encoding.UTF8.GetString(json), Error = $"The stored payload no longer fits '{type.FullName}': {exception.Message}" };
        }
    }

    public static string? WriteMetadata(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Count == 0 ? null : JsonSerializer.Serialize(metadata, MetadataJsonContext.Default.IReadOnlyDictionaryStringString);

    public static Dictionary<string, string>? ReadMetadata(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, MetadataJsonContext.Default.DictionaryStringString);
}
