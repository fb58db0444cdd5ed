namespace EventBus;

/// <summary>
/// A segment trie of wildcard type patterns (<c>*</c> one segment, <c>#</c> any number). Looking up an event type
/// walks its segments in place (span-keyed dictionary lookups), so candidate collection allocates nothing.
/// Built once per router snapshot; read-only afterwards, so workers read it without locks.
/// </summary>
/// <remarks>
/// A '#' can take any number of segments, so a walk may reach one node at one position of the type along many paths
/// (a pattern with several '#' has exponentially many). Consecutive '#' are folded when patterns are added, and a
/// walk through a trie with '#' remembers the (node, position) states it has visited and never repeats one: the work
/// is bounded by nodes × positions × segments, however the patterns are written.
/// </remarks>
internal sealed class PatternTrie
{
    // Reused per thread by walks through tries with '#'; cleared before each walk.
    [ThreadStatic]
    private static HashSet<long>? t_visited;

    private readonly Node _root;
    private int _nodes;
    private bool _hasHash;

    public PatternTrie() => _root = NewNode();

    public bool IsEmpty { get; private set; } = true;

    public void Add(string pattern, Subscription subscription)
    {
        Node node = _root;
        foreach (string segment in PatternFilter.Collapse(pattern.Split('.')))
        {
            node = segment switch
            {
                "*" => node.Star ??= NewNode(),
                "#" => node.Hash ??= NewNode(),
                _ => node.Child(segment, this),
            };
        }

        _hasHash |= pattern.Contains('#', StringComparison.Ordinal);
        node.Terminal.Add(subscription);
        IsEmpty = false;
    }

    /// <summary>Adds every subscription whose pattern may match <paramref name="type"/>; returns true when a '#' path could add one twice.</summary>
    public bool Collect(string type, List<Subscription> output)
    {
        bool viaHash = false;
        HashSet<long>? visited = null;
        if (_hasHash)
        {
            visited = t_visited ??= [];
            visited.Clear();
        }

        Collect(_root, type.AsSpan(), done: false, output, ref viaHash, visited);
        return viaHash;
    }

    private Node NewNode() => new(_nodes++);

    private static void Collect(Node node, ReadOnlySpan<char> rest, bool done, List<Subscription> output, ref bool viaHash, HashSet<long>? visited)
    {
        // A type name has at most 256 characters, so (length, done) fits in ten bits beside the node's id.
        if (visited is not null && !visited.Add(((long)node.Id << 10) | ((long)rest.Length << 1) | (done ? 1L : 0L)))
        {
            return;
        }

        if (node.Hash is { } hash)
        {
            // '#' consumes zero or more segments: try every split of what is left.
            viaHash = true;
            ReadOnlySpan<char> tail = rest;
            bool tailDone = done;
            while (true)
            {
                Collect(hash, tail, tailDone, output, ref viaHash, visited);
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
            Collect(child, next, nextDone, output, ref viaHash, visited);
        }

        if (node.Star is { } star)
        {
            Collect(star, next, nextDone, output, ref viaHash, visited);
        }
    }

    private sealed class Node(int id)
    {
        public int Id { get; } = id;

        public Dictionary<string, Node>? Children { get; private set; }

        public Node? Star { get; set; }

        public Node? Hash { get; set; }

        public List<Subscription> Terminal { get; } = [];

        public Node Child(string segment, PatternTrie trie)
        {
            Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!Children.TryGetValue(segment, out Node? child))
            {
                child = trie.NewNode();
                Children.Add(segment, child);
            }

            return child;
        }
    }
}
