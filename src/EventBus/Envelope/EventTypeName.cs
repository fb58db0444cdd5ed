namespace EventBus;

/// <summary>
/// Validates dotted event type names such as <c>workflow.started</c> and subscription patterns such as
/// <c>workflow.*</c>. A name is one or more non-empty segments of ASCII letters, digits, <c>_</c> or <c>-</c>.
/// </summary>
internal static class EventTypeName
{
    /// <summary>The longest type name or pattern accepted, in characters.</summary>
    public const int MaxLength = 256;

    /// <summary>The most dot-separated segments in a type name or pattern.</summary>
    public const int MaxSegments = 32;

    /// <summary>Matches exactly one segment in a pattern.</summary>
    public const char SingleSegmentWildcard = '*';

    /// <summary>Matches zero or more segments in a pattern.</summary>
    public const char MultiSegmentWildcard = '#';

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong unless <paramref name="type"/> is a concrete type name.</summary>
    public static void ThrowIfInvalid(string? type, string paramName)
    {
        string? error = Validate(type, allowWildcards: false);
        if (error is not null)
        {
            throw type is null ? new ArgumentNullException(paramName, error) : new ArgumentException(error, paramName);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="pattern"/> is a type name whose segments may be wildcards.</summary>
    public static void ThrowIfInvalidPattern(string? pattern, string paramName)
    {
        string? error = Validate(pattern, allowWildcards: true);
        if (error is not null)
        {
            throw pattern is null ? new ArgumentNullException(paramName, error) : new ArgumentException(error, paramName);
        }
    }

    /// <summary>Returns a message describing what is wrong with <paramref name="value"/>, or null when it is valid.</summary>
    public static string? Validate(string? value, bool allowWildcards)
    {
        string what = allowWildcards ? "Event type pattern" : "Event type";
        if (value is null)
        {
            return $"{what} is required; use a dotted name such as 'workflow.started'.";
        }

        if (value.Length == 0)
        {
            return $"{what} '' is empty; use a dotted name such as 'workflow.started'.";
        }

        if (value.Length > MaxLength)
        {
            return $"{what} '{Display.Escape(value)}' is {value.Length} characters long; the limit is {MaxLength}. Use a shorter dotted name.";
        }

        // Every message below quotes the value escaped: it may hold control characters that would forge a log line.
        string shown = Display.Escape(value);
        int segments = value.AsSpan().Count('.') + 1;
        if (segments > MaxSegments)
        {
            return $"{what} '{shown}' has {segments} segments; a type name or pattern may have at most {MaxSegments}. Use a shorter dotted name.";
        }

        int segmentStart = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                if (i == segmentStart)
                {
                    return $"{what} '{shown}' has an empty segment at position {i}; use dotted names such as 'workflow.started' with no leading, trailing or doubled dots.";
                }

                segmentStart = i + 1;
                continue;
            }

            char c = value[i];
            if (c is SingleSegmentWildcard or MultiSegmentWildcard)
            {
                if (!allowWildcards)
                {
                    return $"{what} '{shown}' contains the wildcard '{c}'; a published event needs a concrete type such as 'workflow.started'. Wildcards belong in subscription patterns.";
                }

                bool wholeSegment = i == segmentStart && (i + 1 == value.Length || value[i + 1] == '.');
                if (!wholeSegment)
                {
                    return $"{what} '{shown}' uses the wildcard '{c}' inside a segment at position {i}; a wildcard must be a whole segment, as in 'workflow.*' or 'workflow.#'.";
                }

                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return $"{what} '{shown}' contains '{Display.Escape(c.ToString())}' at position {i}; segments may only hold ASCII letters, digits, '_' or '-', separated by dots.";
            }
        }

        return null;
    }
}
