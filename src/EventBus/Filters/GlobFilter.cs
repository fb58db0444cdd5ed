namespace EventBus;

/// <summary>
/// Matches a string property (workflow id, phase) against a shell-style glob: <c>*</c> is any run of characters,
/// <c>?</c> is one character.
/// </summary>
internal sealed class GlobFilter : EventFilter
{
    private readonly Func<EventEnvelope, string?> _property;
    private readonly string _name;
    private readonly string _glob;

    public GlobFilter(string name, Func<EventEnvelope, string?> property, string glob)
    {
        ArgumentException.ThrowIfNullOrEmpty(glob);
        _name = name;
        _property = property;
        _glob = glob;
    }

    public override string Description => $"{_name} like '{Display.Escape(_glob)}'";

    public override bool Matches(EventEnvelope envelope) => _property(envelope) is { } value && IsMatch(_glob, value);

    /// <summary>Iterative glob matching with single-star backtracking: linear in practice, no recursion.</summary>
    internal static bool IsMatch(ReadOnlySpan<char> glob, ReadOnlySpan<char> value)
    {
        int g = 0, v = 0, starAt = -1, resumeAt = 0;
        while (v < value.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || glob[g] == value[v]))
            {
                g++;
                v++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                starAt = g++;
                resumeAt = v;
            }
            else if (starAt >= 0)
            {
                g = starAt + 1;
                v = ++resumeAt;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }
}
