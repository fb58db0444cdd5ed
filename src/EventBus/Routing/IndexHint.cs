namespace EventBus;

/// <summary>
/// What a filter promises about the event type, so the router can index it: a set of exact types, a wildcard
/// pattern, or nothing (the filter is evaluated for every event). A hint may be looser than the filter, never tighter.
/// </summary>
internal readonly record struct IndexHint(string[]? ExactTypes, string? Pattern)
{
    public static IndexHint None => default;

    public static IndexHint Exact(params string[] types) => new(types, null);

    public static IndexHint Wildcard(string pattern) => new(null, pattern);

    public bool IsNone => ExactTypes is null && Pattern is null;
}
