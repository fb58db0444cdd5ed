using CsCheck;
using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// Patterns with several <c>#</c> segments were matched by trying every split at each <c>#</c>, without memory: the
/// valid pattern <c>#.#.#.#.#.#.z</c> against a long type never finished routing, and every key of that worker was
/// stuck. Consecutive <c>#</c> now collapse, the trie remembers the states it has visited, the filter matches with one
/// backtracking point, and types and patterns are limited to <see cref="MaxSegments"/> segments.
/// </summary>
public sealed class HashPatternsMatchInPolynomialTimeTests
{
    private const int MaxSegments = 32;

    [Theory]
    [InlineData("#.#.#.#.#.#.#.#.#.#.#.#.z")]
    [InlineData("#.a.#.a.#.a.#.a.#.a.#.a.#.z")]
    [InlineData("*.#.*.#.*.#.*.#.*.#.*.#.z")]
    public async Task HashHeavyPatterns_RouteALongTypeAtOnce(string pattern)
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        int heavy = 0;
        Signal plain = new(1);
        bus.Subscribe(EventFilter.Pattern(pattern), _ => Interlocked.Increment(ref heavy));
        bus.Subscribe(EventFilter.Pattern(pattern).Or(EventFilter.Type("other.event")), _ => Interlocked.Increment(ref heavy));
        bus.Subscribe(EventFilter.Type("other.event"), _ => plain.Hit());
        string longType = string.Join('.', Enumerable.Repeat("a", MaxSegments));

        await bus.PublishAsync(Buses.Event(longType, key: "k"));
        await bus.PublishAsync(Buses.Event("other.event", key: "k"));
        await plain.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        heavy.Should().Be(1, "only the 'or' subscription matches other.event; nothing matches the long type, which ends in 'a'");
    }

    [Fact]
    public void TypesAndPatternsOverTheSegmentLimit_AreRefusedWithTheLimit()
    {
        string tooLong = string.Join('.', Enumerable.Repeat("a", MaxSegments + 1));

        FluentActions.Invoking(() => new EventBuilder(tooLong)).Should().Throw<ArgumentException>().WithMessage($"*{MaxSegments + 1} segments*at most {MaxSegments}*");
        FluentActions.Invoking(() => EventFilter.Pattern(tooLong.Replace("a.a", "#.a", StringComparison.Ordinal))).Should().Throw<ArgumentException>().WithMessage($"*segments*at most {MaxSegments}*");
    }

    [Fact]
    public async Task RouterAndFilter_EqualANaiveMatcher_ForRandomHashHeavyPatterns()
    {
        string[] segments = ["#", "#", "*", "a", "b"];
        Gen<string> segment = Gen.Int[0, segments.Length - 1].Select(i => segments[i]);
        Gen<string> patterns = segment.Array[1, 10].Select(s => string.Join('.', s));
        Gen<string> types = Gen.Int[0, 1].Select(i => i == 0 ? "a" : "b").Array[1, MaxSegments].Select(s => string.Join('.', s));

        // The bound only stops a hang from blocking the run; matching takes microseconds.
        await Task.Run(() => patterns.Array[1, 6].Select(types.Array[1, 8]).Sample(testCase =>
        {
            (string[] patternSet, string[] typeSet) = testCase;
            ChannelEventBus bus = (ChannelEventBus)Buses.Create(o => o.WorkerCount = 1);
            Dictionary<long, string> patternOf = [];
            foreach (string pattern in patternSet)
            {
                Subscription subscription = (Subscription)bus.Subscribe(EventFilter.Pattern(pattern), static (_, _) => ValueTask.CompletedTask);
                patternOf[subscription.Sequence] = pattern;
            }

            foreach (string type in typeSet)
            {
                EventEnvelope envelope = Buses.Event(type);
                List<Subscription> routed = [];
                bus.CurrentIndex.Route(envelope, routed, []);
                long[] expected = [.. bus.SubscriptionSnapshot.Where(s => NaiveMatch(patternOf[s.Sequence], type)).Select(s => s.Sequence).Order()];
                long[] actual = [.. routed.Select(s => s.Sequence).Order()];
                long[] filtered = [.. bus.SubscriptionSnapshot.Where(s => s.Filter.Matches(envelope)).Select(s => s.Sequence).Order()];
                if (!actual.SequenceEqual(expected) || !filtered.SequenceEqual(expected))
                {
                    throw new InvalidOperationException(
                        $"Type '{type}': router [{string.Join(", ", actual)}], filters [{string.Join(", ", filtered)}], naive [{string.Join(", ", expected)}]; patterns: {string.Join("; ", patternSet)}");
                }
            }
        }, iter: 500)).WaitAsync(TestLimits.Hang);
    }

    /// <summary>Dynamic programming over (pattern segment, type segment): the definition, with no cleverness.</summary>
    private static bool NaiveMatch(string pattern, string type)
    {
        if (pattern == "*")
        {
            return true; // documented: a lone '*' matches every event, like a lone '#'
        }

        string[] p = pattern.Split('.');
        string[] t = type.Split('.');
        bool[,] match = new bool[p.Length + 1, t.Length + 1];
        match[p.Length, t.Length] = true;
        for (int i = p.Length - 1; i >= 0; i--)
        {
            for (int j = t.Length; j >= 0; j--)
            {
                match[i, j] = p[i] switch
                {
                    "#" => match[i + 1, j] || (j < t.Length && match[i, j + 1]),
                    "*" => j < t.Length && match[i + 1, j + 1],
                    _ => j < t.Length && p[i] == t[j] && match[i + 1, j + 1],
                };
            }
        }

        return match[0, 0];
    }
}
