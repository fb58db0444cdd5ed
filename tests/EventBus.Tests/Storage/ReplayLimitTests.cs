using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Storage;

/// <summary>
/// A replay can stop after a number of events (<see cref="ReplayOptions.Limit"/>); the query's page size only says how
/// many are read at a time. Before, a query limit of 2 replayed all 4 matches.
/// </summary>
public sealed class ReplayLimitTests
{
    private readonly WatchedTime _time = new();
    private readonly InMemoryEventStore _store = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public async Task Replay_WithALimit_RepublishesTheFirstMatchesOnly_WhateverThePageSize(int pageSize)
    {
        await using IEventBus bus = await StartedAsync();
        EventEnvelope[] history = [Event("order.placed"), Event("stock.low"), Event("order.paid"), Event("order.shipped"), Event("order.closed")];
        await _store.AppendBatchAsync(history);
        ConcurrentQueue<Guid> replayed = [];
        bus.Subscribe("#", e => replayed.Enqueue(e.Id));

        ReplayResult result = await new EventReplayer(bus, _store)
            .ReplayAsync(new EventQuery { TypePattern = "order.*", PageSize = pageSize }, new ReplayOptions { Limit = 2 });
        await bus.WaitForIdleAsync().Within();

        result.Replayed.Should().Be(2);
        replayed.Should().Equal(history[0].Id, history[2].Id);
    }

    [Fact]
    public async Task Replay_LimitCountsRepublishedEventsOnly_NotUnreadableOnes()
    {
        await using IEventBus bus = await StartedAsync();
        EventEnvelope unreadable = new EventBuilder("order.placed").WithData(new UnreadablePayload { TypeName = "Gone.Type, Gone", Json = "{}", Error = "type missing" }).Build(_time);
        EventEnvelope[] history = [unreadable, Event("order.paid"), Event("order.shipped"), Event("order.closed")];
        await _store.AppendBatchAsync(history);
        ConcurrentQueue<Guid> replayed = [];
        bus.Subscribe("#", e => replayed.Enqueue(e.Id));

        ReplayResult result = await new EventReplayer(bus, _store).ReplayAsync(new EventQuery { PageSize = 1 }, new ReplayOptions { Limit = 2 });
        await bus.WaitForIdleAsync().Within();

        result.Replayed.Should().Be(2);
        result.Skipped.Should().Be(1);
        result.SkippedEventIds.Should().Equal(unreadable.Id);
        replayed.Should().Equal(history[1].Id, history[2].Id);
    }

    [Fact]
    public async Task Replay_WithoutALimit_RepublishesEveryMatch_AcrossPages()
    {
        await using IEventBus bus = await StartedAsync();
        await _store.AppendBatchAsync([.. Enumerable.Range(0, 7).Select(_ => Event("order.placed"))]);
        bus.Subscribe("#", _ => { });

        ReplayResult result = await new EventReplayer(bus, _store).ReplayAsync(new EventQuery { PageSize = 2 });

        result.Replayed.Should().Be(7);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Replay_WithALimitBelowOne_IsRefusedBeforeAnythingIsRepublished(long limit)
    {
        await using IEventBus bus = await StartedAsync();
        await _store.AppendAsync(Event("order.placed"));

        Func<Task> replay = () => new EventReplayer(bus, _store).ReplayAsync(new EventQuery(), new ReplayOptions { Limit = limit });

        (await replay.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage($"*ReplayOptions.Limit is {limit}*at least 1*");
        bus.GetStatistics().Published.Should().Be(0);
    }

    private async Task<IEventBus> StartedAsync()
    {
        IEventBus bus = EventBusFactory.Create(o => o.WorkerCount = 1, timeProvider: _time, store: _store);
        await bus.StartAsync();
        return bus;
    }

    private EventEnvelope Event(string type) => new EventBuilder(type).WithWorkflow("wf-1").Build(_time);
}
