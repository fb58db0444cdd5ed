namespace EventBus;

/// <summary>Combines the hints of filters that must all pass.</summary>
internal static class IndexHints
{
    /// <summary>Every part of an AND must pass, so any part's hint is valid for the whole; exact types prune most.</summary>
    public static IndexHint Tightest(IndexHint first, IndexHint second)
    {
        if (first.ExactTypes is not null)
        {
            return first;
        }

        if (second.ExactTypes is not null)
        {
            return second;
        }

        return first.Pattern is not null ? first : second;
    }
}
