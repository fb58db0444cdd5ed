using System.Collections.Concurrent;
using EventBus.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Filters;

public sealed class AsyncPredicateTests
{
    [Fact]
    public async Task WhereAsync_IsAwaitedInTheSubscriptionsLane_AndRejectionsAreCountedAsFiltered()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<int> seen = new();
        ISubscription subscription = bus.Subscribe<int>(
            EventFilter.Pattern("order.*").And(EventFilter.WhereAsync(async (e, _) =>
            {
                await Task.Yield();
                return e.GetData<int>() % 2 == 0;
            }, "even orders")),
            (_, n, _) => { seen.Enqueue(n); return ValueTask.CompletedTask; },
            options: null);

        PublishReport odd = await bus.PublishAndWaitAsync(Buses.Event("order.placed", key: "k", data: 1)).Within();
        PublishReport even = await bus.PublishAndWaitAsync(Buses.Event("order.placed", key: "k", data: 2)).Within();

        odd.Outcomes.Should().ContainSingle().Which.Result.Should().Be(DeliveryResult.Filtered);
        even.Outcomes.Should().ContainSingle().Which.Result.Should().Be(DeliveryResult.Handled);
        seen.Should().Equal(2);
        subscription.Counters.Should().Be(new SubscriptionCounters { Matched = 2, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0, Filtered = 1 });
        bus.GetStatistics().Filtered.Should().Be(1);
        subscription.FilterDescription.Should().Be("(type matches 'order.*') and (even orders) and (payload is Int32)");
    }

    [Fact]
    public async Task WhereAsync_ASlowPredicate_DelaysOnlyItsOwnSubscription()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        TaskCompletionSource<bool> release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(EventFilter.WhereAsync(async (_, _) => await release.Task), (_, _) => ValueTask.CompletedTask);
        Signal others = new(50);
        bus.Subscribe("*", _ => others.Hit());

        for (int i = 0; i < 50; i++)
        {
            await bus.PublishAsync(Buses.Event());
        }

        await others.WaitAsync();
        release.SetResult(true);
        await bus.WaitForIdleAsync().Within();
    }

    [Fact]
    public async Task WhereAsync_APredicateThatThrows_IsLoggedAndCountsAsNo()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(logs: logs);
        ISubscription subscription = bus.Subscribe(EventFilter.WhereAsync((_, _) => throw new TimeoutException("lookup down")), (_, _) => ValueTask.CompletedTask);

        await bus.PublishAndWaitAsync(Buses.Event()).Within();

        subscription.Counters.Filtered.Should().Be(1);
        logs.GetSnapshot().Should().Contain(r => r.Exception is TimeoutException);
    }

    [Fact]
    public void WhereAsync_CanNotBeCombinedWithOrNotOrAnyOf()
    {
        EventFilter asyncFilter = EventFilter.WhereAsync((_, _) => ValueTask.FromResult(true), "remote check");

        FluentActions.Invoking(() => asyncFilter.Or(EventFilter.All)).Should().Throw<ArgumentException>().WithMessage("*'remote check' holds an asynchronous predicate, which AnyOf (or Or) can not combine*And only*");
        FluentActions.Invoking(() => EventFilter.Type("a.b").Or(asyncFilter)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => EventFilter.Not(EventFilter.Type("a.b").And(asyncFilter))).Should().Throw<ArgumentException>().WithMessage("*Not can not combine*");
        FluentActions.Invoking(() => EventFilter.AnyOf(EventFilter.Type("a.b"), asyncFilter)).Should().Throw<ArgumentException>().WithMessage("*AnyOf (or Or) can not combine*");
        EventFilter.AllOf(EventFilter.Type("a.b"), asyncFilter).Matches(Buses.Event("a.b")).Should().BeTrue("routing lets it through; the lane decides");
        FluentActions.Invoking(() => EventFilter.WhereAsync(null!)).Should().Throw<ArgumentNullException>();
    }
}
