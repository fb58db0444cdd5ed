using System.Collections.Concurrent;
using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Filters;

public sealed class RoutingHelperTests
{
    [Fact]
    public async Task RouteByCategory_HandsEachEventToItsCategory_AndCountsAndLogsUnknownOnes()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<string> seen = new();
        FakeLogger logger = new();
        Dictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>> routes = new()
        {
            ["workflow"] = Record("workflow"),
            ["phase"] = Record("phase"),
            ["resource"] = Record("resource"),
            ["error"] = Record("error"),
        };
        await using CategoryRouter router = bus.RouteByCategory(routes, logger);

        foreach (string type in new[] { "workflow.started", "phase.progress", "resource.allocated", "error.critical", "billing.charged", "audit" })
        {
            await bus.PublishAndWaitAsync(Buses.Event(type)).Within();
        }

        seen.Should().Equal("workflow:workflow.started", "phase:phase.progress", "resource:resource.allocated", "error:error.critical");
        router.UnknownCount.Should().Be(2);
        logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message)
            .Should().HaveCount(2).And.Contain(m => m.Contains("Unknown event category 'billing'", StringComparison.Ordinal));
        router.Subscription.State.Should().Be(SubscriptionState.Active);

        Func<EventEnvelope, CancellationToken, ValueTask> Record(string route) => (e, _) =>
        {
            seen.Enqueue(route + ":" + e.Type);
            return ValueTask.CompletedTask;
        };
    }

    [Fact]
    public async Task RouteByPriority_SendsCriticalHighAndStandardToTheirOwnHandlers()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<string> seen = new();
        await using PriorityRouter router = bus.RouteByPriority(
            Record("critical"), Record("high"), Record("standard"), EventFilter.Pattern("job.*"));

        foreach (EventPriority priority in Enum.GetValues<EventPriority>())
        {
            await bus.PublishAndWaitAsync(Buses.Event("job.done", priority: priority)).Within();
        }

        await bus.PublishAndWaitAsync(Buses.Event("other.done", priority: EventPriority.Critical)).Within();

        seen.Should().BeEquivalentTo("standard:Low", "standard:Normal", "high:High", "critical:Critical");
        new[] { router.Critical, router.High, router.Standard }.Select(s => s.SubscriberId).Should().Equal("priority-critical", "priority-high", "priority-standard");

        Func<EventEnvelope, CancellationToken, ValueTask> Record(string route) => (e, _) =>
        {
            seen.Enqueue(route + ":" + e.Priority);
            return ValueTask.CompletedTask;
        };
    }

    [Fact]
    public void Routers_RejectBadArguments()
    {
        IEventBus bus = Buses.Create();

        bus.Invoking(b => b.RouteByCategory(new Dictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>>())).Should().Throw<ArgumentException>().WithMessage("*at least one category*");
        bus.Invoking(b => b.RouteByCategory(new Dictionary<string, Func<EventEnvelope, CancellationToken, ValueTask>> { ["a.b"] = (_, _) => ValueTask.CompletedTask }))
            .Should().Throw<ArgumentException>().WithMessage("*'a.b' must be one segment*");
        bus.Invoking(b => b.RouteByPriority(null!, (_, _) => ValueTask.CompletedTask, (_, _) => ValueTask.CompletedTask)).Should().Throw<ArgumentNullException>();
    }
}
