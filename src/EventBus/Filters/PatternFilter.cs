namespace EventBus;

/// <summary>
/// Matches dotted type names against a pattern whose segments may be <c>*</c> (exactly one segment) or
/// <c>#</c> (zero or more segments). Matching walks the type name in place and allocates nothing.
/// </summary>
internal sealed class PatternFilter : EventFilter
{
    private readonly string[] _segments;

    public PatternFilter(string pattern)
    {
        EventTypeName.ThrowIfInvalidPattern(pattern, nameof(pattern));
        TypePattern = pattern;
        _segments = Collapse(pattern.Split('.'));
    }

    public string TypePattern { get; }

    public override string Description => $"type matches '{TypePattern}'";

    internal override IndexHint GetIndexHint() => IndexHint.Wildcard(TypePattern);

    /// <summary>'#.#' matches what '#' matches; folding such runs keeps the number of '#' to try small.</summary>
    internal static string[] Collapse(string[] segments) =>
        [.. segments.Where((segment, i) => !(segment is "#" && i > 0 && segments[i - 1] is "#"))];

    /// <summary>
    /// Matches with one backtracking point, as glob matchers do for <c>*</c>: on a mismatch, the last '#' seen takes one
    /// more type segment and matching resumes after it. Earlier '#' never need revisiting, so the work is at most
    /// pattern segments × type segments, and nothing is allocated.
    /// </summary>
    public override bool Matches(EventEnvelope envelope)
    {
        ReadOnlySpan<char> rest = envelope.Type.AsSpan();
        bool done = false;
        int index = 0;
        int hashAt = -1;
        ReadOnlySpan<char> hashRest = default;
        while (!done)
        {
            if (index < _segments.Length)
            {
                string segment = _segments[index];
                if (segment is "#")
                {
                    // '#' takes no segment for now; remember where to resume if that proves too few.
                    hashAt = index++;
                    hashRest = rest;
                    continue;
                }

                ReadOnlySpan<char> next = rest;
                bool nextDone = false;
                ReadOnlySpan<char> typeSegment = TypeSegments.Next(ref next, ref nextDone);
                if (segment is "*" || typeSegment.SequenceEqual(segment))
                {
                    index++;
                    rest = next;
                    done = nextDone;
                    continue;
                }
            }

            if (hashAt < 0)
            {
                return false;
            }

            // Let the last '#' take one more segment of the type, and try the rest of the pattern after it again.
            bool hashDone = false;
            _ = TypeSegments.Next(ref hashRest, ref hashDone);
            if (hashDone)
            {
                // The '#' took everything: what follows it must be able to match nothing.
                return AllHashFrom(hashAt + 1);
            }

            index = hashAt + 1;
            rest = hashRest;
        }

        return AllHashFrom(index);
    }

    private bool AllHashFrom(int index)
    {
        for (int i = index; i < _segments.Length; i++)
        {
            if (_segments[i] is not "#")
            {
                return false;
            }
        }

        return true;
    }
}
