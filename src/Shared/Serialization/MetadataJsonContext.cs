using System.Text.Json.Serialization;

namespace EventBus;

/// <summary>Source-generated JSON for metadata, which is always a string map.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
