using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace EventBus;

/// <summary>
/// The fields an event's payload must carry. A payload is checked either as a
/// string-keyed dictionary (the shape of JSON-like payloads) or, for a schema made with <see cref="For{T}"/>,
/// through the properties of its type.
/// </summary>
public sealed class PayloadSchema
{
    private readonly PropertyInfo[]? _properties;

    private PayloadSchema(IReadOnlyList<PayloadField> fields, PropertyInfo[]? properties)
    {
        Fields = fields;
        _properties = properties;
    }

    /// <summary>Gets the fields, in declaration order.</summary>
    public IReadOnlyList<PayloadField> Fields { get; }

    /// <summary>Creates a schema from a list of fields.</summary>
    /// <param name="fields">The fields; names must be unique.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field is null or two fields share a name.</exception>
    public static PayloadSchema Of(params PayloadField[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        HashSet<string> names = new(StringComparer.Ordinal);
        foreach (PayloadField field in fields)
        {
            if (field is null)
            {
                throw new ArgumentException("The schema's field list holds null; remove it.", nameof(fields));
            }

            if (!names.Add(field.Name))
            {
                throw new ArgumentException($"The schema names field '{field.Name}' twice; give each field one entry.", nameof(fields));
            }
        }

        return new PayloadSchema([.. fields], null);
    }

    /// <summary>
    /// Creates a schema from the public properties of <typeparamref name="T"/>. A property is required when it
    /// cannot hold null (a non-nullable value type, or a reference type not annotated as nullable).
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The schema.</returns>
    public static PayloadSchema For<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>()
    {
        PropertyInfo[] properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.GetIndexParameters().Length == 0)
            .ToArray();
        NullabilityInfoContext nullability = new();
        PayloadField[] fields = properties
            .Select(property => new PayloadField(property.Name, property.PropertyType, nullability.Create(property).ReadState == NullabilityState.NotNull))
            .ToArray();
        return new PayloadSchema(fields, properties);
    }

    /// <summary>Finds the first field <paramref name="payload"/> lacks or carries with the wrong type.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="fieldName">The field at fault, when there is a problem.</param>
    /// <returns>A description of the problem, naming the field, or null when the payload fits.</returns>
    internal string? FindProblem(object? payload, out string? fieldName)
    {
        fieldName = null;
        for (int i = 0; i < Fields.Count; i++)
        {
            PayloadField field = Fields[i];
            if (!TryGetValue(payload, i, out object? value) || value is null)
            {
                if (field.Required)
                {
                    fieldName = field.Name;
                    return $"lacks required field '{field.Name}' ({field.Type.Name})";
                }

                continue;
            }

            if (!field.Type.IsInstanceOfType(value))
            {
                fieldName = field.Name;
                return $"carries field '{field.Name}' as {value.GetType().Name}, not {field.Type.Name}";
            }
        }

        return null;
    }

    private bool TryGetValue(object? payload, int index, out object? value)
    {
        string name = Fields[index].Name;
        switch (payload)
        {
            case IReadOnlyDictionary<string, object?> readOnly:
                return readOnly.TryGetValue(name, out value);
            case IDictionary<string, object?> dictionary:
                return dictionary.TryGetValue(name, out value);
            case IDictionary legacy when legacy.Contains(name):
                value = legacy[name];
                return true;
            case not null when _properties is not null && _properties[index].DeclaringType!.IsInstanceOfType(payload):
                value = _properties[index].GetValue(payload);
                return true;
            default:
                value = null;
                return false;
        }
    }
}
