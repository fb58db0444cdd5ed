namespace EventBus;

/// <summary>
/// A segment trie of wildcard type patterns (<c>*</c> one segment, <c>#</c> any number). Looking up an event type
/// walks its segments in place (span-keyed dictionary lookups), so candidate collection allocates nothing.
/// Built once per router snapshot; read-only afterwards, so workers read it without locks.
/// </summary>
internal sealed class PatternTrie
{
    private readonly Node _root = new();

    public bool IsEmpty { get; private set; } = true;

    public void Add(string pattern, Subscription subscription)
    {
        Node node = _root;
        foreach (string segment in pattern.Split('.'))
        {
            node = segment switch
            {
                "*" => node.Star ??= new Node(),
                "#" => node.Hash ??= new Node(),
                _ => node.Child(segment),
            };
        }

        node.Terminal.Add(subscription);
        IsEmpty = false;
    }

    /// <summary>Adds every subscription whose pattern may match <paramref name="type"/>; returns true when a '#' path could add one twice.</summary>
    public bool Collect(string type, List<Subscription> output)
    {
        bool viaHash = false;
        Collect(_root, type.AsSpan(), done: false, output, ref viaHash);
        return viaHash;
    }

    private static void Collect(Node node, ReadOnlySpan<char> rest, bool done, List<Subscription> output, ref bool viaHash)
    {
        if (node.Hash is { } hash)
        {
            // '#' consumes zero or more segments: try every split of what is left.
            viaHash = true;
            ReadOnlySpan<char> tail = rest;
            bool tailDone = done;
            while (true)
            {
                Collect(hash, tail, tailDone, output, ref viaHash);
                if (tailDone)
                {
                    break;
                }

                _ = TypeSegments.Next(ref tail, ref tailDone);
            }
        }

        if (done)
        {
            output.AddRange(node.Terminal);
            return;
        }

        ReadOnlySpan<char> next = rest;
        bool nextDone = false;
        ReadOnlySpan<char> segment = TypeSegments.Next(ref next, ref nextDone);
        if (node.Children is { } children && children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out Node? child))
        {
            Collect(child, next, nextDone, output, ref viaHash);
        }

        if (node.Star is { } star)
        {
            Collect(star, next, nextDone, output, ref viaHash);
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; private set; }

        public Node? Star { get; set; }

        public Node? Hash { get; set; }

        public List<Subscription> Terminal { get; } = [];

        public Node Child(string segment)
        {
            Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!Children.TryGetValue(segment, out Node? child))
            {
                child = new Node();
                Children.Add(segment, child);
            }

            return child;
        }
    }
}
