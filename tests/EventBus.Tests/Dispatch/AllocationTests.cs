using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;

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
        EventEnvelope[] warmUp = [.. Enumerable.Range(0, Events).Select(i => Buses.Event("alloc.tested", key: "k" + (i % 64)))];
        EventEnvelope[] measured = [.. Enumerable.Range(0, Events).Select(i => Buses.Event("alloc.tested", key: "k" + (i % 64)))];

        // Warm up: JIT, channel segments and queue capacities reach their steady state.
        await PublishAllAsync(bus, warmUp);
        await bus.WaitForIdleAsync().Within();

        long before = GC.GetTotalAllocatedBytes(precise: true);
        await PublishAllAsync(bus, measured);
        await bus.WaitForIdleAsync().Within();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        handled.Should().Be(2 * Events);
        (allocated / (double)Events).Should().BeLessThan(1.0, $"{allocated:N0} bytes were allocated for {Events:N0} events");
    }

    private static async Task PublishAllAsync(IEventBus bus, EventEnvelope[] events)
    {
        foreach (EventEnvelope envelope in events)
        {
            await bus.PublishAsync(envelope);
        }
    }
}
