using System.Collections;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace EventBus;

/// <summary>
/// Describes a value by its field names and their type names, never by its data. Dictionaries are described by their keys; other objects by their public properties.
/// </summary>
internal static class PayloadSummary
{
    public static readonly IReadOnlyDictionary<string, string> Empty = ReadOnlyDictionary<string, string>.Empty;

    public static IReadOnlyDictionary<string, string> Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T value)
    {
        switch (value)
        {
            case null:
                return Empty;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return Build(pairs);
            case IDictionary dictionary:
                return Build(dictionary.Keys.Cast<object>().Select(key => new KeyValuePair<string, object?>(key.ToString() ?? string.Empty, dictionary[key])));
            default:
                return Build(typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(property => property.CanRead && property.GetIndexParameters().Length == 0)
                    .Select(property => new KeyValuePair<string, object?>(property.Name, property.GetValue(value))));
        }
    }

    private static ReadOnlyDictionary<string, string> Build(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        Dictionary<string, string> summary = new(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> field in fields)
        {
            summary[field.Key] = field.Value?.GetType().Name ?? "null";
        }

        return summary.AsReadOnly();
    }
}
