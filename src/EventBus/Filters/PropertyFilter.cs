namespace EventBus;

/// <summary>Matches events whose selected string property is one of a set of values (ordinal).</summary>
internal sealed class PropertyFilter : EventFilter
{
    private readonly Func<EventEnvelope, string?> _property;
    private readonly HashSet<string> _values;
    private readonly string _name;
    private readonly bool _indexByType;

    public PropertyFilter(string name, Func<EventEnvelope, string?> property, IEnumerable<string> values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        _values = new HashSet<string>(values, StringComparer.Ordinal);
        if (_values.Count == 0)
        {
            throw new ArgumentException($"A {name} filter needs at least one value; pass the {name}s to match, or use EventFilter.All.", paramName);
        }

        if (_values.Contains(null!))
        {
            throw new ArgumentException($"A {name} filter can not match null; remove it from the values.", paramName);
        }

        _name = name;
        _property = property;
        _indexByType = name == "type";
    }

    public override string Description => _values.Count == 1
        ? $"{_name} is '{Display.Escape(_values.First())}'"
        : $"{_name} in [{string.Join(", ", _values.Order(StringComparer.Ordinal).Select(v => $"'{Display.Escape(v)}'"))}]";

    internal override IndexHint GetIndexHint() => _indexByType ? IndexHint.Exact([.. _values]) : IndexHint.None;

    public override bool Matches(EventEnvelope envelope) => _property(envelope) is { } value && _values.Contains(value);
}
