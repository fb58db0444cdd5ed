using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EventBus;

/// <summary>
/// Compiled into each store package (internal in each). Writes payloads as JSON with a type name (a registered alias,
/// else the type's full name and assembly), and reads them back. The stored name is never loaded as a type: a payload is
/// read as a type the application declared: by the name's alias in the store options' PayloadTypes, as a payload type
/// the <see cref="EventCatalog"/> registers (for any event type) whose name is the stored one, or as a string or plain value.
/// Anything else (an unregistered type, or a name a tampered file made up) becomes an <see cref="UnreadablePayload"/>, as
/// does a payload that no longer fits its type: never an exception, and never an instance of a type nobody registered.
/// </summary>
internal sealed class PayloadSerializer
{
    private readonly JsonSerializerOptions _json;
    private readonly Dictionary<string, Type> _byAlias;
    private readonly Dictionary<Type, string> _aliases;
    private readonly EventCatalog _catalog;

    // Bounds the names whose contracts are kept, against a file that makes up many.
    private const int MaxContracts = 256;

    // The catalogue's payload types by stored name, and the contracts names resolved to, as of one catalogue version:
    // rebuilt when a registration is added or replaced.
    private DeclaredTypes? _declared;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> _names = new();

    /// <summary>Creates the serializer; contracts come from <paramref name="json"/> when it has a resolver, else from the catalogue.</summary>
    public PayloadSerializer(JsonSerializerOptions? json, IDictionary<string, Type> payloadTypes, EventCatalog? catalog)
    {
        _catalog = catalog ?? new EventCatalog(includeStandardEvents: false);
        _json = _catalog.JsonOptionsFor(json);
        _byAlias = new Dictionary<string, Type>(payloadTypes, StringComparer.Ordinal);
        _aliases = _byAlias.ToDictionary(pair => pair.Value, pair => pair.Key);
    }

    /// <summary>Gets the contract of a type the store writes as JSON of its own (a snapshot's state).</summary>
    public JsonTypeInfo<T> Contract<T>() => (JsonTypeInfo<T>)_catalog.GetJsonTypeInfo(typeof(T), _json);

    public (string? TypeName, byte[]? Json) Write(object? payload)
    {
        if (payload is null)
        {
            return (null, null);
        }

        Type type = payload.GetType();
        return (NameOf(type), JsonSerializer.SerializeToUtf8Bytes(payload, _catalog.GetJsonTypeInfo(type, _json)));
    }

    /// <summary>Reads a stored payload of event type <paramref name="eventType"/>, stored under <paramref name="typeName"/>.</summary>
    public object? Read(string eventType, string typeName, ReadOnlySpan<byte> json)
    {
        Type? type = null;
        try
        {
            JsonTypeInfo? contract = ContractFor(typeName, out type);
            if (contract is null)
            {
                return new UnreadablePayload
                {
                    TypeName = typeName,
                    Json = System.Text.Encoding.UTF8.GetString(json),
                    Error = $"Payload type '{typeName}' of event type '{eventType}' is not registered, so it is not read: register it in the event catalogue (EventCatalog.Register<T>(), AddEventTypes, or a typed handler of it), or under that name in the store options' PayloadTypes.",
                };
            }

            return JsonSerializer.Deserialize(json, contract);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            return new UnreadablePayload { TypeName = typeName, Json = System.Text.Encoding.UTF8.GetString(json), Error = $"The stored payload no longer fits '{type?.FullName}': {exception.Message}" };
        }
    }

    /// <summary>
    /// The contract to read a payload stored under <paramref name="typeName"/> with, or null when no declared type has that
    /// name. Every row of a read names its payload type, so what a name resolves to is kept until the catalogue changes.
    /// </summary>
    private JsonTypeInfo? ContractFor(string typeName, out Type? type)
    {
        DeclaredTypes declared = Declared(_catalog);
        if (declared.Contracts.TryGetValue(typeName, out (Type? Type, JsonTypeInfo? Contract) known))
        {
            type = known.Type;
            return known.Contract;
        }

        // A type without a contract throws here, uncached, and reads as unreadable each time, as it always did.
        type = Resolve(typeName, declared);
        JsonTypeInfo? contract = type is null ? null : _catalog.GetJsonTypeInfo(type, _json);
        if (declared.Contracts.Count < MaxContracts)
        {
            declared.Contracts.TryAdd(typeName, (type, contract));
        }

        return contract;
    }

    /// <summary>The name a payload of <paramref name="type"/> is stored under: its alias, else its full name and assembly.</summary>
    private string NameOf(Type type) =>
        _names.GetOrAdd(type, static (type, aliases) => aliases.TryGetValue(type, out string? alias) ? alias : BuiltInPayloadTypes.NameOf(type), _aliases);

    /// <summary>A type the application declared for the stored name, or null; the name itself is never loaded.</summary>
    private Type? Resolve(string typeName, DeclaredTypes declared)
    {
        if (_byAlias.TryGetValue(typeName, out Type? aliased))
        {
            return aliased;
        }

        if (declared.ByName.TryGetValue(typeName, out Type? type))
        {
            return type;
        }

        return BuiltInPayloadTypes.Find(typeName);
    }

    private DeclaredTypes Declared(EventCatalog catalog)
    {
        if (Volatile.Read(ref _declared) is { } declared && declared.Version == catalog.Version)
        {
            return declared;
        }

        // Read before the types: a type registered meanwhile makes the next read rebuild again, never go missing.
        int version = catalog.Version;
        Dictionary<string, Type> rebuilt = new(StringComparer.Ordinal);
        foreach (EventTypeDescriptor descriptor in catalog.Types)
        {
            if (descriptor.PayloadType is { } payloadType)
            {
                rebuilt.TryAdd(NameOf(payloadType), payloadType);
            }
        }

        // A racing rebuild writes an equal map: either is right.
        DeclaredTypes renewed = new(version, rebuilt, new(StringComparer.Ordinal));
        Volatile.Write(ref _declared, renewed);
        return renewed;
    }

    private sealed record DeclaredTypes(int Version, Dictionary<string, Type> ByName, System.Collections.Concurrent.ConcurrentDictionary<string, (Type? Type, JsonTypeInfo? Contract)> Contracts);

    public static string? WriteMetadata(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Count == 0 ? null : JsonSerializer.Serialize(metadata, MetadataJsonContext.Default.IReadOnlyDictionaryStringString);

    public static Dictionary<string, string>? ReadMetadata(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, MetadataJsonContext.Default.DictionaryStringString);
}
