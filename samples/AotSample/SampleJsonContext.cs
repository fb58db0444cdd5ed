using System.Text.Json.Serialization;

namespace AotSample;

/// <summary>The JSON contracts of the payloads the store keeps: under Native AOT they come from here, not from reflection.</summary>
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(InvoiceSent))]
[JsonSerializable(typeof(TaxedAmount))]
[JsonSerializable(typeof(decimal))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
