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
        _segments = pattern.Split('.');
    }

    public string TypePattern { get; }

    public override string Description => $"type matches '{TypePattern}'";

    internal override IndexHint GetIndexHint() => IndexHint.Wildcard(TypePattern);

    public override bool Matches(EventEnvelope envelope) => MatchFrom(0, envelope.Type.AsSpan(), done: false);

    // 'done' is true once every segment of the type name has been consumed.
    private bool MatchFrom(int index, ReadOnlySpan<char> rest, bool done)
    {
        while (true)
        {
            if (index == _segments.Length)
            {
                return done;
            }

            string segment = _segments[index];
            if (segment is "#")
            {
                if (index == _segments.Length - 1)
                {
                    return true;
                }

                // '#' may stand for zero segments: try the rest of the pattern here first.
                if (MatchFrom(index + 1, rest, done))
                {
                    return true;
                }

                if (done)
                {
                    return false;
                }

                _ = TypeSegments.Next(ref rest, ref done);
                continue;
            }

            if (done)
            {
                return false;
            }

            ReadOnlySpan<char> typeSegment = TypeSegments.Next(ref rest, ref done);
            if (segment is not "*" && !typeSegment.SequenceEqual(segment))
            {
                return false;
            }

            index++;
        }
    }
}
