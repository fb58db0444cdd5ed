using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's storage, query, replay and recovery, run against a SQLite file in a temporary folder.</summary>
public sealed class StorageSnippets : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("eventbus-docs-").FullName;

    public void Dispose() => Directory.Delete(_dataFolder, recursive: true);

    [Fact]
    public async Task Store_QueryReplayAndRecover()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        string dataFolder = _dataFolder;
        // begin-snippet: storage-registration
        builder.Services.AddEventBus()
            .AddSqliteEventStore(Path.Combine(dataFolder, "events.db"), configureLevels: levels => levels   // or .AddEventStore() for memory
                .Persist("payment.#", PersistenceLevel.Critical)   // stored and committed before PublishAsync returns
                .Persist("metrics.#", PersistenceLevel.Temporary)); // not stored; everything else is Standard (batched)
        // end-snippet
        using IHost host = builder.Build();
        await host.StartAsync();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        IEventStore store = host.Services.GetRequiredService<IEventStore>();
        EventReplayer replayer = host.Services.GetRequiredService<EventReplayer>();
        DateTimeOffset since = bus.TimeProvider.GetUtcNow().AddMinutes(-1);
        foreach (string type in (string[])["order.placed", "payment.captured", "metrics.sampled", "order.shipped"])
        {
            await bus.PublishAsync(new EventBuilder(type).WithWorkflow("wf-1").Build(bus.TimeProvider));
        }

        await bus.WaitForIdleAsync();
        await store.FlushAsync();
        ConcurrentQueue<Guid> seenByLate = [];
        ISubscription late = bus.Subscribe("#", e => seenByLate.Enqueue(e.Id));

        // begin-snippet: storage-query
        EventPage page = await store.QueryAsync(new EventQuery { WorkflowId = "wf-1", From = since, PageSize = 100 });
        // page.ContinuationToken continues it; criteria: type or pattern, kind, source, target, workflow, correlation, time range
        ReplayResult replay = await replayer.ReplayWorkflowAsync("wf-1", from: since, new ReplayOptions
        {
            SubscriptionId = late.Id,      // only the late subscriber sees the replay
            MaxEventsPerSecond = 1_000,
            Limit = 100,                   // stop after 100 events
        });
        OrderState state = await store.RecoverWorkflowStateAsync("wf-1", OrderState.Empty, (s, e) => s.Apply(e));
        // end-snippet
        await bus.WaitForIdleAsync();

        page.Events.Select(e => e.Type).Should().Equal("order.placed", "payment.captured", "order.shipped");
        replay.Replayed.Should().Be(3);
        seenByLate.Should().Equal(page.Events.Select(e => e.Id));
        state.Events.Should().Be(3);
        await host.StopAsync();
    }

    [Fact]
    public async Task PostgreSql_Registration()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        string connectionString = "Host=db.internal;Database=orders;Username=orders;Password=secret";

        // begin-snippet: postgresql-registration
        builder.Services.AddEventBus()
            .AddPostgreSqlEventStore(connectionString, o => o.Schema = "eventbus",   // tables created on first use
                configureLevels: levels => levels.Persist("payment.#", PersistenceLevel.Critical));
        // end-snippet

        using IHost host = builder.Build();
        await using IAsyncDisposable store = (IAsyncDisposable)host.Services.GetRequiredService<IEventStore>();
        store.Should().BeOfType<EventBus.PostgreSql.PostgreSqlEventStore>().Which.ToString().Should().Contain("db.internal").And.NotContain("secret");
    }

    [Fact]
    public async Task Streams_AppendWithAnExpectedVersion()
    {
        await using EventBus.Sqlite.SqliteEventStore store = new(new EventBus.Sqlite.SqliteEventStoreOptions { Path = Path.Combine(_dataFolder, "streams.db") });
        IEventStreamStore streams = AsStreams(store);
        EventEnvelope placed = new EventBuilder("order.placed").WithWorkflow("order-42").Build();
        EventEnvelope paid = new EventBuilder("order.paid").WithWorkflow("order-42").Build();
        EventEnvelope cancelled = new EventBuilder("order.cancelled").WithWorkflow("order-42").Build();

        // begin-snippet: streams
        long version = await streams.AppendToStreamAsync("order-42", StreamVersion.NoStream, [placed]);   // 1
        version = await streams.AppendToStreamAsync("order-42", version, [paid]);                          // 2

        try
        {
            await streams.AppendToStreamAsync("order-42", expectedVersion: 1, [cancelled]);   // decided on a stale state
        }
        catch (StreamVersionConflictException conflict)   // nothing stored; conflict.ActualVersion is 2
        {
            // read the events after the version you had, decide again, append with the new version
            Console.WriteLine(conflict.Message);
        }

        await foreach (StreamEvent e in streams.ReadStreamAsync("order-42", fromVersion: 2))
        {
            Console.WriteLine($"{e.Version}: {e.Event.Type}");   // 2: order.paid
        }
        // end-snippet

        version.Should().Be(2);
        (await streams.GetStreamVersionAsync("order-42")).Should().Be(2);
        (await store.GetAsync(cancelled.Id)).Should().BeNull();
    }

    [Fact]
    public async Task Snapshots_FoldFromTheLatest()
    {
        await using EventBus.Sqlite.SqliteEventStore store = new(new EventBus.Sqlite.SqliteEventStoreOptions { Path = Path.Combine(_dataFolder, "snapshots.db") });
        IEventStreamStore streams = AsStreams(store);
        IReadOnlyList<EventEnvelope> newEvents = [new EventBuilder("order.line.added").WithData(12.5m).Build()];

        // begin-snippet: snapshots
        SnapshotPolicy policy = new(every: 100);   // a snapshot each time a stream passes 100, 200, ... events
        static decimal Apply(decimal total, EventEnvelope e) => total + e.GetData<decimal>();

        StreamState<decimal> order = await streams.FoldStreamAsync("order-42", 0m, Apply);   // latest snapshot + the events after it
        decimal total = newEvents.Aggregate(order.State, Apply);
        long version = await streams.AppendToStreamAsync("order-42", order.Version, newEvents, total, policy);
        // end-snippet

        version.Should().Be(1);
        (await streams.FoldStreamAsync("order-42", 0m, Apply)).State.Should().Be(12.5m);
    }

    // What the application holds: the store as a stream store (both stores are one).
    private static IEventStreamStore AsStreams(IEventStore store) => (IEventStreamStore)store;
}
