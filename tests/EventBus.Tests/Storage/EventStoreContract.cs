using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Storage;

/// <summary>A payload every store must round-trip.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Lines">The order lines.</param>
public sealed record StoredOrder(string OrderId, decimal Amount, IReadOnlyList<string> Lines);

/// <summary>
/// The behaviour every <see cref="IEventStore"/> must have. Each implementation's test class derives from this one and
/// says how to create a fresh store; the same tests then run against it (in memory and SQLite now, PostgreSQL later).
/// </summary>
public abstract class EventStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Gets the catalogue a serializing store reads payloads by: it declares the payload type these tests store.</summary>
    protected EventCatalog Catalog { get; } = new EventCatalog(includeStandardEvents: false).Register<StoredOrder>();

    [Fact]
    public async Task AnAppendedEvent_ReadsBackWithEveryField()
    {
        await using IEventStore store = await CreateStoreAsync();
        EventEnvelope cause = Event("order.requested");
        EventEnvelope original = new EventBuilder("order.placed")
            .WithKind(EventKind.Command)
            .WithSource("shop")
            .WithTarget("billing")
            .WithWorkflow("wf-1", "checkout")
            .CausedBy(cause)
            .WithWorkflow("wf-1", "checkout")
            .WithPriority(EventPriority.High)
            .WithExpiry(TimeSpan.FromMinutes(5))
            .WithSchemaVersion(2)
            .WithPersistence(PersistenceLevel.Critical)
            .WithData(new StoredOrder("o-1", 12.5m, ["a", "b"]))
            .WithMetadata("user_id", "u-1")
            .Build(Time);

        await store.AppendAsync(original, PersistenceLevel.Critical);
        EventEnvelope? read = await store.GetAsync(original.Id);

        read.Should().NotBeNull();
        read!.Should().BeEquivalentTo(original, o => o.Excluding(e => e.Data).Excluding(e => e.Metadata));
        read!.Metadata.Should().Equal(original.Metadata);
        read.GetData<StoredOrder>().Should().BeEquivalentTo(new StoredOrder("o-1", 12.5m, ["a", "b"]));
        (await store.GetAsync(Guid.NewGuid())).Should().BeNull();
    }

    [Fact]
    public async Task StandardAppends_AreReadableAfterAFlush_AndAppendingIsIdempotentById()
    {
        await using IEventStore store = await CreateStoreAsync();
        EventEnvelope first = Event("a.b", data: 1);

        await store.AppendAsync(first);
        await store.AppendAsync(first);
        await store.AppendBatchAsync([Event("a.b", data: 2), first]);
        await store.FlushAsync();

        (await store.CountAsync()).Should().Be(2);
        (await store.GetAsync(first.Id))!.GetData<int>().Should().Be(1);
    }

    [Fact]
    public async Task Queries_PageThroughEveryMatch_InBothOrders()
    {
        await using IEventStore store = await CreateStoreAsync();
        EventEnvelope[] events = [.. Enumerable.Range(0, 25).Select(i => Event(i % 2 == 0 ? "page.even" : "page.odd", data: i))];
        await store.AppendBatchAsync(events, PersistenceLevel.Critical);

        List<int> ascending = await ReadAllAsync(store, new EventQuery { TypePattern = "page.*", PageSize = 10 });
        List<int> descending = await ReadAllAsync(store, new EventQuery { TypePattern = "page.even", PageSize = 4, Order = EventOrder.Descending });

        ascending.Should().Equal(Enumerable.Range(0, 25));
        descending.Should().Equal(Enumerable.Range(0, 25).Where(i => i % 2 == 0).Reverse());
    }

    [Fact]
    public async Task Queries_FilterByEveryCriterion()
    {
        await using IEventStore store = await CreateStoreAsync();
        DateTimeOffset start = Time.GetUtcNow();
        EventEnvelope command = new EventBuilder("order.ship").WithKind(EventKind.Command).WithSource("shop").WithTarget("ship").WithWorkflow("wf-a").WithCorrelation("c-1").Build(Time);
        Time.Advance(TimeSpan.FromMinutes(1));
        EventEnvelope notice = new EventBuilder("order.shipped.late").WithSource("ship").WithWorkflow("wf-b").WithCorrelation("c-2").Build(Time);
        Time.Advance(TimeSpan.FromMinutes(1));
        EventEnvelope other = new EventBuilder("stock.low").WithSource("stock").Build(Time);
        await store.AppendBatchAsync([command, notice, other], PersistenceLevel.Critical);

        (await Ids(store, new EventQuery { TypePattern = "order.#" })).Should().Equal(command.Id, notice.Id);
        (await Ids(store, new EventQuery { TypePattern = "order.*" })).Should().Equal(command.Id);
        (await Ids(store, new EventQuery { TypePattern = "*.low" })).Should().Equal(other.Id);
        (await Ids(store, new EventQuery { Kind = EventKind.Command })).Should().Equal(command.Id);
        (await Ids(store, new EventQuery { Source = "ship" })).Should().Equal(notice.Id);
        (await Ids(store, new EventQuery { Target = "ship" })).Should().Equal(command.Id);
        (await Ids(store, new EventQuery { WorkflowId = "wf-b" })).Should().Equal(notice.Id);
        (await Ids(store, new EventQuery { CorrelationId = "c-1" })).Should().Equal(command.Id);
        (await Ids(store, new EventQuery { From = start.AddMinutes(1), To = start.AddMinutes(2) })).Should().Equal(notice.Id);
        (await Ids(store, new EventQuery { TypePattern = "order.#", Source = "nobody" })).Should().BeEmpty();
    }

    [Fact]
    public async Task AWorkflow_ReadsBackInOrder_FromATimestamp()
    {
        await using IEventStore store = await CreateStoreAsync();
        List<EventEnvelope> workflow = [];
        for (int i = 0; i < 5; i++)
        {
            workflow.Add(new EventBuilder("step.done").WithWorkflow("wf-1").WithData(i).Build(Time));
            await store.AppendAsync(new EventBuilder("noise.event").WithWorkflow("wf-2").Build(Time), PersistenceLevel.Critical);
            await store.AppendAsync(workflow[^1], PersistenceLevel.Critical);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        List<EventEnvelope> all = await ToListAsync(store.ReadWorkflowAsync("wf-1"));
        List<EventEnvelope> later = await ToListAsync(store.ReadWorkflowAsync("wf-1", workflow[3].Timestamp));
        int state = await store.RecoverWorkflowStateAsync("wf-1", 0, (sum, e) => sum + e.GetData<int>());

        all.Select(e => e.Id).Should().Equal(workflow.Select(e => e.Id));
        later.Select(e => e.Id).Should().Equal(workflow[3].Id, workflow[4].Id);
        state.Should().Be(10);
    }

    [Fact]
    public async Task Pruning_RemovesOldEvents_AndEventsBeyondTheCount()
    {
        await using IEventStore store = await CreateStoreAsync();
        for (int i = 0; i < 10; i++)
        {
            await store.AppendAsync(Event("retained.event", data: i), PersistenceLevel.Critical);
            Time.Advance(TimeSpan.FromHours(1));
        }

        long byAge = await store.PruneAsync(new EventRetention { MaxAge = TimeSpan.FromHours(6) });
        long byCount = await store.PruneAsync(new EventRetention { MaxCount = 3 });

        byAge.Should().Be(4, "events 0 to 3 are older than six hours");
        byCount.Should().Be(3);
        (await ReadAllAsync(store, new EventQuery())).Should().Equal(7, 8, 9);
    }

    [Fact]
    public async Task ConcurrentAppends_AreAllStored()
    {
        await using IEventStore store = await CreateStoreAsync();
        EventEnvelope[] events = [.. Enumerable.Range(0, 4_000).Select(i => Event("load.event", data: i))];

        await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            for (int i = p; i < events.Length; i += 8)
            {
                await store.AppendAsync(events[i], i % 10 == 0 ? PersistenceLevel.Critical : PersistenceLevel.Standard);
            }
        })));
        await store.FlushAsync();

        (await store.CountAsync()).Should().Be(4_000);
        (await ReadAllAsync(store, new EventQuery { PageSize = 1_000 })).Order().Should().Equal(Enumerable.Range(0, 4_000));
    }

    [Fact]
    public async Task BadInput_IsRefusedWithTheValueAndTheFix()
    {
        await using IEventStore store = await CreateStoreAsync();

        Func<Task> temporary = () => store.AppendAsync(Event("a.b"), PersistenceLevel.Temporary).AsTask();
        Func<Task> nullInBatch = () => store.AppendBatchAsync([Event("a.b"), null!]).AsTask();
        Func<Task> limit = () => store.QueryAsync(new EventQuery { PageSize = 0 }).AsTask();
        Func<Task> token = () => store.QueryAsync(new EventQuery { ContinuationToken = "page-2" }).AsTask();
        Func<Task> pattern = () => store.QueryAsync(new EventQuery { TypePattern = "a..b" }).AsTask();
        Func<Task> count = () => store.PruneAsync(new EventRetention { MaxCount = -1 }).AsTask();
        Func<Task> age = () => store.PruneAsync(new EventRetention { MaxAge = TimeSpan.FromHours(-1) }).AsTask();

        (await temporary.Should().ThrowAsync<ArgumentException>()).WithMessage("*Temporary does not store*");
        (await nullInBatch.Should().ThrowAsync<ArgumentException>()).WithMessage("*index 1*");
        (await limit.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*PageSize is 0*");
        (await token.Should().ThrowAsync<ArgumentException>()).WithMessage("*'page-2' was not issued*");
        await pattern.Should().ThrowAsync<ArgumentException>();
        (await count.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*MaxCount is -1; keep 0 or more*");
        (await age.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*MaxAge is -01:00:00; use a positive age*");
        (await store.CountAsync()).Should().Be(0, "nothing of a refused batch is stored");
    }

    protected abstract Task<IEventStore> CreateStoreAsync();

    protected EventEnvelope Event(string type, object? data = null) => new EventBuilder(type).WithData(data).Build(Time);

    private static async Task<List<int>> ReadAllAsync(IEventStore store, EventQuery query)
    {
        List<int> values = [];
        do
        {
            EventPage page = await store.QueryAsync(query);
            page.Events.Count.Should().BeLessThanOrEqualTo(query.PageSize);
            values.AddRange(page.Events.Select(e => e.GetData<int>()));
            query.ContinuationToken = page.ContinuationToken;
        }
        while (query.ContinuationToken is not null);

        return values;
    }

    private static async Task<IReadOnlyList<Guid>> Ids(IEventStore store, EventQuery query) => [.. (await store.QueryAsync(query)).Events.Select(e => e.Id)];

    private static async Task<List<EventEnvelope>> ToListAsync(IAsyncEnumerable<EventEnvelope> events)
    {
        List<EventEnvelope> list = [];
        await foreach (EventEnvelope envelope in events)
        {
            list.Add(envelope);
        }

        return list;
    }
}
