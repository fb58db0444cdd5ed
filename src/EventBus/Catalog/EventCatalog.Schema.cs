using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace EventBus;

/// <summary>The catalogue as a document: every type with its payload described in JSON Schema.</summary>
public sealed partial class EventCatalog
{
    private const string SchemaDialect = "https://json-schema.org/draft/2020-12/schema";
    private static readonly JsonSchemaExporterOptions ExporterOptions = new() { TreatNullObliviousAsNonNullable = true };

    /// <summary>
    /// Writes the catalogue as JSON: an array of the registered types, ordered by category and name, each with its
    /// category, description, kind, priority, schema version, payload type and, as <c>payloadSchema</c>, a JSON Schema
    /// (draft 2020-12) of its payload as it travels and is stored: made by <see cref="JsonSchemaExporter"/> from the
    /// payload type's contract under <see cref="JsonOptions"/>, or from the fields of a <see cref="PayloadSchema"/>. The
    /// fields a <see cref="PayloadSchema"/> requires are required in the JSON Schema too, as strict-catalogue validation
    /// requires them.
    /// </summary>
    /// <param name="indented">Whether to indent the output.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartArray();
            foreach (EventTypeDescriptor descriptor in Types)
            {
                WriteDescriptor(writer, descriptor);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private void WriteDescriptor(Utf8JsonWriter writer, EventTypeDescriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("type", descriptor.Type);
        writer.WriteString("category", descriptor.Category);
        writer.WriteString("description", descriptor.Description);
        writer.WriteString("kind", descriptor.Kind.ToString());
        writer.WriteString("priority", descriptor.Priority.ToString());
        writer.WriteNumber("schemaVersion", descriptor.SchemaVersion);
        if (descriptor.PayloadType is { } payloadType)
        {
            writer.WriteString("payloadType", payloadType.FullName);
        }

        if (PayloadJsonSchema(descriptor) is { } schema)
        {
            writer.WritePropertyName("payloadSchema");
            schema.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private JsonObject? PayloadJsonSchema(EventTypeDescriptor descriptor)
    {
        JsonObject schema;
        if (descriptor.PayloadType is { } payloadType)
        {
            if (!JsonOptions.TryGetTypeInfo(payloadType, out JsonTypeInfo? contract))
            {
                return new JsonObject { ["$schema"] = SchemaDialect, ["$comment"] = $"No JSON contract for {payloadType.FullName}: add a resolver that lists it." };
            }

            schema = contract.GetJsonSchemaAsNode(ExporterOptions) as JsonObject ?? [];
            if (descriptor.Schema is { } fields)
            {
                RequireFields(schema, contract, fields);
            }
        }
        else if (descriptor.Schema is { } fields)
        {
            schema = FieldsSchema(fields);
        }
        else
        {
            return null;
        }

        JsonObject rooted = new() { ["$schema"] = SchemaDialect };
        foreach ((string key, JsonNode? value) in schema.ToArray())
        {
            schema.Remove(key);
            rooted[key] = value;
        }

        return rooted;
    }

    /// <summary>
    /// Makes the fields a payload schema requires required and not null in the JSON Schema, under their JSON names, as
    /// strict-catalogue validation checks them.
    /// </summary>
    private static void RequireFields(JsonObject schema, JsonTypeInfo contract, PayloadSchema fields)
    {
        HashSet<string> required = [.. fields.Fields.Where(f => f.Required).Select(f => f.Name)];
        JsonArray list = schema["required"] as JsonArray ?? [];
        HashSet<string> listed = [.. list.Select(n => n!.GetValue<string>())];
        foreach (JsonPropertyInfo property in contract.Properties)
        {
            if (property.AttributeProvider is not MemberInfo member || !required.Contains(member.Name))
            {
                continue;
            }

            if (listed.Add(property.Name))
            {
                list.Add((JsonNode)JsonValue.Create(property.Name));
            }

            if (schema["properties"]?[property.Name] is JsonObject described && described["type"] is JsonArray types)
            {
                JsonNode[] notNull = [.. types.Where(t => t?.GetValue<string>() != "null").Select(t => t!.DeepClone())];
                described["type"] = notNull.Length == 1 ? notNull[0] : new JsonArray(notNull);
            }
        }

        if (list.Count > 0)
        {
            schema["required"] = list;
        }
    }

    /// <summary>A schema of a dictionary-shaped payload from a field list: each field's type as JSON, and the required ones.</summary>
    private JsonObject FieldsSchema(PayloadSchema fields)
    {
        JsonObject properties = [];
        JsonArray required = [];
        foreach (PayloadField field in fields.Fields)
        {
            properties[field.Name] = JsonOptions.TryGetTypeInfo(field.Type, out JsonTypeInfo? contract) ? contract.GetJsonSchemaAsNode(ExporterOptions) : new JsonObject();
            if (field.Required)
            {
                required.Add((JsonNode)JsonValue.Create(field.Name));
            }
        }

        JsonObject schema = new() { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        return schema;
    }
}
