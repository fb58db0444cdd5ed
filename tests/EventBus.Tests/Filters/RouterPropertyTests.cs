using CsCheck;
using EventBus.Tests.Support;

namespace EventBus.Tests.Filters;

/// <summary>
/// The indexed router must return exactly the subscriptions that evaluating every filter naively returns, whatever
/// the filters, the order of subscribing and unsubscribing, and the events. CsCheck generates the scripts and
/// shrinks any failure to a minimal one.
/// </summary>
public sealed class RouterPropertyTests
{
    private static readonly string[] Types = ["a", "b", "a.b", "a.c", "b.c", "a.b.c", "a.c.c", "c.b.a", "a.a.a.a"];
    private static readonly string[] Patterns = ["a.*", "*.b", "a.#", "#.c", "a.#.c", "#", "*", "*.*", "a.*.c", "#.#", "#.a.#", "*.#.*"];

    [Fact]
    public async Task IndexedRouting_EqualsNaiveEvaluation_OverRandomFiltersChurnAndEvents()
    {
        Gen<(int[] Script, int[] Events)> cases = Gen.Int[0, 10_000].Array[1, 40].Select(Gen.Int[0, 10_000].Array[1, 12]);

        await cases.SampleAsync(async testCase =>
        {
            await using IEventBus bus = Buses.Create(o => o.WorkerCount = 1);
            ChannelEventBus channelBus = (ChannelEventBus)bus;
            EventEnvelope[] events = [.. testCase.Events.Select(Event)];
            List<ISubscription> live = [];
            foreach (int step in testCase.Script)
            {
                if (step % 4 == 3 && live.Count > 0)
                {
                    ISubscription removed = live[step / 4 % live.Count];
                    live.Remove(removed);
                    await removed.UnsubscribeAsync();
                }
                else
                {
                    live.Add(bus.Subscribe(Filter(step), static (_, _) => ValueTask.CompletedTask));
                }

                foreach (EventEnvelope envelope in events)
                {
                    List<Subscription> routed = [];
                    channelBus.CurrentIndex.Route(envelope, routed, []);
                    long[] expected = [.. channelBus.SubscriptionSnapshot.Where(s => s.Filter.Matches(envelope)).Select(s => s.Sequence).Order()];
                    long[] actual = [.. routed.Select(s => s.Sequence).Order()];
                    if (!actual.SequenceEqual(expected))
                    {
                        throw new InvalidOperationException(
                            $"Event '{envelope.Type}' ({envelope.Priority}, {envelope.Kind}) routed to [{string.Join(", ", actual)}], naive evaluation says [{string.Join(", ", expected)}]; filters: "
                            + string.Join("; ", channelBus.SubscriptionSnapshot.Select(s => $"{s.Sequence}: {s.FilterDescription}")));
                    }
                }
            }
        }, iter: 300);
    }

    private static EventEnvelope Event(int seed) =>
        new EventBuilder(Types[seed % Types.Length])
            .WithPriority((EventPriority)(seed / 10 % 4))
            .WithKind((EventKind)(seed / 40 % 5))
            .Build();

    private static EventFilter Filter(int seed)
    {
        string type = Types[seed / 16 % Types.Length];
        string other = Types[seed / 160 % Types.Length];
        string pattern = Patterns[seed / 16 % Patterns.Length];
        return (seed / 4 % 10) switch
        {
            0 => EventFilter.Type(type),
            1 => EventFilter.Pattern(pattern),
            2 => EventFilter.Types(type, other),
            3 => EventFilter.Pattern(pattern).And(EventFilter.MinPriority(EventPriority.High)),
            4 => EventFilter.Where(e => e.Priority == EventPriority.Low, "low only"),
            5 => EventFilter.Kind(EventKind.Command, EventKind.Error),
            6 => EventFilter.Not(EventFilter.Type(type)),
            7 => EventFilter.Type(type).Or(EventFilter.Pattern(pattern)),
            8 => EventFilter.AllOf(EventFilter.Pattern(pattern), EventFilter.Type(other)),
            _ => EventFilter.MinPriority(EventPriority.Normal).And(EventFilter.Regex("^a")),
        };
    }
}
