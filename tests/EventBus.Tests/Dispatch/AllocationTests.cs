using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

/// <summary>Allocation is tested, not hoped for: the asynchronous path allocates nothing per event beyond the envelope.</summary>
[Collection(nameof(AllocationSensitive))]
public sealed class AllocationTests
{
    private const int Events = 200_000;

    [Fact]
    public async Task AsyncPublishPath_AllocatesNothingPerEventBeyondTheEnvelope()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => { o.WorkerCount = 2; o.SubscriptionFullMode = SubscriptionFullMode.Wait; });
        int handled = 0;
        bus.Subscribe(EventFilter.Pattern("alloc.*"), (_, _) =>
        {
            Interlocked.Increment(ref handled);
            return ValueTask.CompletedTask;
        });
        EventEnvelope[] events = [.. Enumerable.Range(0, Events).Select(i => Buses.Event("alloc.tested", key: "k" + (i % 64)))];

        // Warm up: JIT, channel segments and queue capacities reach their steady state.
        await PublishAllAsync(bus, events);
        await bus.WaitForIdleAsync().Within();

        // Queues grow until they have met their peak backlog (each worker's staging queue separately, which can take
        // a few rounds on a loaded machine); that is capacity, not a per-event cost, so the steady state is the best
        // of up to ten rounds.
        long best = long.MaxValue;
        int rounds = 0;
        for (; rounds < 10 && best / (double)Events >= 0.5; rounds++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await PublishAllAsync(bus, events);
            await bus.WaitForIdleAsync().Within();
            best = Math.Min(best, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        handled.Should().Be((rounds + 1) * Events);
        (best / (double)Events).Should().BeLessThan(0.5, $"{best:N0} bytes were allocated for {Events:N0} events in the best of {rounds} rounds");
    }

    private static async Task PublishAllAsync(IEventBus bus, EventEnvelope[] events)
    {
        foreach (EventEnvelope envelope in events)
        {
            await bus.PublishAsync(envelope);
        }
    }
}
