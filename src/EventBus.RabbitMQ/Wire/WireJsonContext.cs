using System.Text.Json.Serialization;

namespace EventBus.RabbitMQ;

/// <summary>Source-generated serialization of the wire format's own structures (not of payloads).</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
