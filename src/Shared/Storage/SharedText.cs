namespace EventBus;

/// <summary>
/// Compiled into each store package (internal in each). Text that repeats from row to row of a read (type, source,
/// target, workflow, phase, payload type) becomes one string per distinct value, so a page of events does not allocate
/// the same strings a thousand times. One instance serves one read at a time.
/// </summary>
internal sealed class SharedText
{
    /// <summary>Longer text is made into a string each time; repeated short names are the ones worth sharing.</summary>
    public const int MaxSharedChars = 256;

    /// <summary>Bounds the shared strings, so that a read over many distinct values does not hoard them.</summary>
    private const int MaxShared = 4_096;

    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);

    /// <summary>The string already shared for <paramref name="text"/>'s value, else <paramref name="text"/>, shared from now on.</summary>
    public string Get(string text)
    {
        if (text.Length > MaxSharedChars)
        {
            return text;
        }

        if (_shared.TryGetValue(text, out string? known))
        {
            return known;
        }

        if (_shared.Count < MaxShared)
        {
            _shared[text] = text;
        }

        return text;
    }

    /// <summary>The string for <paramref name="chars"/>: the one already made for the same text, or a new one.</summary>
    public string Get(ReadOnlySpan<char> chars)
    {
        if (chars.Length > MaxSharedChars)
        {
            return new string(chars);
        }

        Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup = _shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out string? known))
        {
            return known;
        }

        string text = new(chars);
        if (_shared.Count < MaxShared)
        {
            _shared[text] = text;
        }

        return text;
    }
}
