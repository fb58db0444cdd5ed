namespace EventBus;

/// <summary>Walks the dot-separated segments of a type name in place, without allocating.</summary>
internal static class TypeSegments
{
    /// <summary>Returns the next segment of <paramref name="rest"/> and advances it; sets <paramref name="done"/> after the last one.</summary>
    public static ReadOnlySpan<char> Next(ref ReadOnlySpan<char> rest, ref bool done)
    {
        int dot = rest.IndexOf('.');
        if (dot < 0)
        {
            ReadOnlySpan<char> last = rest;
            rest = default;
            done = true;
            return last;
        }

        ReadOnlySpan<char> segment = rest[..dot];
        rest = rest[(dot + 1)..];
        return segment;
    }
}
