using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// A subscription's <c>BufferCapacity</c> of N held only N − 1 waiting events, because the event being handled took a
/// place. It now means what its documentation says: N events may wait while the handler works on another.
/// </summary>
public sealed class BufferCapacityCountsWaitingEventsTests
{
    private const int Extra = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task WhileTheHandlerIsBusy_ExactlyBufferCapacityEventsWait_AndTheRestAreDropped(int capacity)
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal busy = new(1);
        Signal marker = new(1);
        ISubscription slow = bus.Subscribe(EventFilter.Type("work.item"), async (_, _) =>
        {
            busy.Hit();
            await release.Task;
        }, new SubscriptionOptions { BufferCapacity = capacity });
        bus.Subscribe(EventFilter.Type("work.marker"), _ => marker.Hit());

        await bus.PublishAsync(Buses.Event("work.item", key: "k"));
        await busy.WaitAsync();
        for (int i = 0; i < capacity + Extra; i++)
        {
            await bus.PublishAsync(Buses.Event("work.item", key: "k"));
        }

        // One worker routes in order: once the marker is handled, every item before it has been routed.
        await bus.PublishAsync(Buses.Event("work.marker", key: "k"));
        await marker.WaitAsync();

        slow.Counters.Dropped.Should().Be(Extra, $"{capacity} events may wait while one is handled");
        release.SetResult();
        await bus.WaitForIdleAsync().Within();
        slow.Counters.Delivered.Should().Be(1 + capacity);
    }
}
