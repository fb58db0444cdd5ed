using System.Collections.Concurrent;

namespace EventBus;

/// <summary>
/// Bounds the distinct values of one metric tag. Values that always deserve their own (catalogued event types) keep
/// them; the first <c>limit</c> others do too; every later one folds into <see cref="Other"/>, so a flood of distinct
/// event types or anonymous subscriptions can not grow a metrics backend without end.
/// </summary>
internal sealed class BoundedTagValues
{
    /// <summary>The value every value past the limit is reported as.</summary>
    public const string Other = "_other";

    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Func<string, bool>? _alwaysOwn;
    private readonly int _limit;
    private readonly Lock _addLock = new();
    private int _counted;

    public BoundedTagValues(int limit, Func<string, bool>? alwaysOwn = null)
    {
        _limit = limit;
        _alwaysOwn = alwaysOwn;
    }

    /// <summary>Gets the tag value for <paramref name="value"/>.</summary>
    public string For(string value)
    {
        if (_values.TryGetValue(value, out string? tag))
        {
            return tag;
        }

        if (_alwaysOwn?.Invoke(value) == true)
        {
            return _values.GetOrAdd(value, value);
        }

        // Past the limit, nothing more is remembered: a folded value costs one failed lookup, never memory.
        if (Volatile.Read(ref _counted) >= _limit)
        {
            return Other;
        }

        lock (_addLock)
        {
            if (_values.TryGetValue(value, out tag))
            {
                return tag;
            }

            if (_counted >= _limit)
            {
                return Other;
            }

            _values[value] = value;
            Volatile.Write(ref _counted, _counted + 1);
            return value;
        }
    }
}
