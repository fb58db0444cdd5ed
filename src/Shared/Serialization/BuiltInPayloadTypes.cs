namespace EventBus;

/// <summary>
/// Compiled into each store package (internal in each). The framework types a stored payload may be read as without any
/// registration: strings and plain values, which have no behaviour to run when read. Every other type must be declared.
/// </summary>
internal static class BuiltInPayloadTypes
{
    private static readonly Dictionary<string, Type> ByName = new Type[]
    {
        typeof(string), typeof(bool), typeof(char), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int),
        typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal), typeof(Guid),
        typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan), typeof(byte[]),
    }.ToDictionary(NameOf, StringComparer.Ordinal);

    /// <summary>The name a payload type is stored under (without an alias): its full name and assembly.</summary>
    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>The built-in type stored under <paramref name="typeName"/>, or null.</summary>
    public static Type? Find(string typeName) => ByName.GetValueOrDefault(typeName);
}
