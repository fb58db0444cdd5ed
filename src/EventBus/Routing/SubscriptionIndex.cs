namespace EventBus;

/// <summary>
/// An immutable routing index over a snapshot of the subscriptions. Each subscription sits in exactly one place:
/// under its exact types, in the pattern trie, or in the scan list of filters that promise nothing about the type.
/// Routing gathers candidates from the three and then evaluates each candidate's full filter, so the index only has
/// to be complete, never exact: publishing costs nothing for subscriptions whose type can not match.
/// </summary>
internal sealed class SubscriptionIndex
{
    private readonly Dictionary<string, Subscription[]> _exact;
    private readonly PatternTrie _patterns = new();
    private readonly Subscription[] _scan;

    public SubscriptionIndex(Subscription[] subscriptions)
    {
        Subscriptions = subscriptions;
        Dictionary<string, List<Subscription>> exact = new(StringComparer.Ordinal);
        List<Subscription> scan = [];
        foreach (Subscription subscription in subscriptions)
        {
            IndexHint hint = subscription.Filter.GetIndexHint();
            if (hint.ExactTypes is { } types)
            {
                foreach (string type in types.Distinct(StringComparer.Ordinal))
                {
                    if (!exact.TryGetValue(type, out List<Subscription>? list))
                    {
                        exact[type] = list = [];
                    }

                    list.Add(subscription);
                }
            }
            else if (hint.Pattern is { } pattern)
            {
                _patterns.Add(pattern, subscription);
            }
            else
            {
                scan.Add(subscription);
            }
        }

        _exact = exact.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        _scan = [.. scan];
    }

    public static SubscriptionIndex Empty { get; } = new([]);

    /// <summary>Gets the subscriptions this index was built from, in subscription order.</summary>
    public Subscription[] Subscriptions { get; }

    /// <summary>Adds to <paramref name="matches"/> every subscription whose filter accepts <paramref name="envelope"/>, each once.</summary>
    public void Route(EventEnvelope envelope, List<Subscription> matches, List<Subscription> scratch)
    {
        if (_exact.TryGetValue(envelope.Type, out Subscription[]? exact))
        {
            AddAccepted(exact, envelope, matches);
        }

        AddAccepted(_scan, envelope, matches);
        if (_patterns.IsEmpty)
        {
            return;
        }

        scratch.Clear();
        bool mayRepeat = _patterns.Collect(envelope.Type, scratch);
        if (mayRepeat && scratch.Count > 1)
        {
            // Several '#' splits can reach the same pattern; keep one of each.
            scratch.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        Subscription? previous = null;
        foreach (Subscription candidate in scratch)
        {
            if (!ReferenceEquals(candidate, previous) && candidate.Accepts(envelope))
            {
                matches.Add(candidate);
            }

            previous = candidate;
        }

        scratch.Clear();
    }

    private static void AddAccepted(Subscription[] candidates, EventEnvelope envelope, List<Subscription> matches)
    {
        foreach (Subscription candidate in candidates)
        {
            if (candidate.Accepts(envelope))
            {
                matches.Add(candidate);
            }
        }
    }
}
