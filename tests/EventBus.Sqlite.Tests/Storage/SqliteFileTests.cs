using EventBus.Tests.Storage;

namespace EventBus.Sqlite.Tests.Storage;

public sealed class SqliteFileTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task EventsSurviveReopening_AndTheFileIsInWalMode()
    {
        EventEnvelope stored = new EventBuilder("order.placed").WithData(new StoredOrder("o-1", 3m, [])).Build();
        await using (SqliteEventStore store = Open())
        {
            await store.AppendAsync(stored);
        }

        await using SqliteEventStore reopened = Open();

        (await reopened.GetAsync(stored.Id))!.GetData<StoredOrder>().OrderId.Should().Be("o-1");
        Pragma("journal_mode").Should().Be("wal");
        Pragma("user_version").Should().Be("4");
    }

    [Fact]
    public void AFileThatIsNotADatabase_IsRefusedWithItsPath()
    {
        File.WriteAllBytes(_database.Path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);

        Action open = () => Open();

        open.Should().Throw<EventStoreException>().WithMessage($"*'{_database.Path}'*corrupt or not a SQLite database*move it*aside*");
    }

    [Fact]
    public void ADatabaseOfAnotherApplication_IsRefused()
    {
        Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY);");

        Action open = () => Open();

        open.Should().Throw<EventStoreException>().WithMessage("*another application*1 tables*not an EventBus event store*");
    }

    [Fact]
    public async Task ASchemaFromANewerVersion_IsRefused_AndLeftUntouched()
    {
        await Open().DisposeAsync();
        Execute("PRAGMA user_version = 99;");

        Action open = () => Open();

        open.Should().Throw<EventStoreException>().WithMessage("*schema version 99*newer EventBus.Sqlite*reads up to 4*");
        Pragma("user_version").Should().Be("99");
    }

    [Fact]
    public async Task APayloadThatNoLongerReads_ComesBackAsAnUnreadablePayload()
    {
        EventEnvelope gone = new EventBuilder("order.placed").WithData(new StoredOrder("o-1", 3m, [])).Build();
        EventEnvelope reshaped = new EventBuilder("order.placed").WithData(new StoredOrder("o-2", 4m, [])).Build();
        await using (SqliteEventStore writer = Open(options => options.PayloadTypes["order-v1"] = typeof(StoredOrder)))
        {
            await writer.AppendBatchAsync([gone, reshaped], PersistenceLevel.Critical);
        }

        await using SqliteEventStore unaware = Open();
        await using SqliteEventStore mistaken = Open(options => options.PayloadTypes["order-v1"] = typeof(int));

        UnreadablePayload missingType = (await unaware.GetAsync(gone.Id))!.GetData<UnreadablePayload>();
        UnreadablePayload wrongShape = (await mistaken.GetAsync(reshaped.Id))!.GetData<UnreadablePayload>();
        missingType.TypeName.Should().Be("order-v1");
        missingType.Json.Should().Contain("o-1");
        missingType.Error.Should().Contain("'order-v1'").And.Contain("is not registered").And.Contain("PayloadTypes");
        wrongShape.Error.Should().Contain("no longer fits 'System.Int32'");
    }

    [Fact]
    public async Task ThroughTheBus_ACriticalEventIsStoredBeforePublishingReturns()
    {
        await using SqliteEventStore store = Open();
        EventStoreOptions levels = new EventStoreOptions().Persist("payment.#", PersistenceLevel.Critical);
        await using IEventBus bus = EventBusFactory.Create(store: store, storeOptions: levels);
        await bus.StartAsync();
        EventEnvelope payment = new EventBuilder("payment.captured").WithData(12.5m).Build();

        await bus.PublishAsync(payment);

        (await store.GetAsync(payment.Id))!.GetData<decimal>().Should().Be(12.5m, "a critical publish returns only once the event is committed");
    }

    [Fact]
    public async Task Replay_SkipsUnreadablePayloads_AndReportsThem()
    {
        EventEnvelope unreadable = new EventBuilder("order.placed").WithData(new StoredOrder("o-1", 3m, [])).Build();
        EventEnvelope readable = new EventBuilder("order.placed").WithData(7).Build();
        await using (SqliteEventStore writer = Open(options => options.PayloadTypes["order-v1"] = typeof(StoredOrder)))
        {
            await writer.AppendBatchAsync([unreadable, readable], PersistenceLevel.Critical);
        }

        await using SqliteEventStore store = Open();
        await using IEventBus bus = EventBusFactory.Create();
        await bus.StartAsync();
        List<EventEnvelope> seen = [];
        bus.Subscribe("order.placed", e => seen.Add(e));

        ReplayResult result = await new EventReplayer(bus, store).ReplayAsync(new EventQuery());
        await bus.WaitForIdleAsync();

        result.Replayed.Should().Be(1);
        result.Skipped.Should().Be(1);
        result.SkippedEventIds.Should().Equal(unreadable.Id);
        seen.Should().ContainSingle().Which.Id.Should().Be(readable.Id);
    }

    [Fact]
    public async Task WorkflowQueries_CrossIndexBuckets_InBothOrders()
    {
        // More events than one bucket of the workflow index holds, so a workflow's events span two buckets.
        const int Total = 70_000;
        EventEnvelope[] events = [.. Enumerable.Range(0, Total).Select(i => new EventBuilder("bulk.event").WithWorkflow("wf-" + (i % 7)).WithData(i).Build())];
        await using SqliteEventStore store = Open();
        for (int i = 0; i < Total; i += 5_000)
        {
            await store.AppendBatchAsync(new ArraySegment<EventEnvelope>(events, i, 5_000));
        }

        await store.FlushAsync();
        List<int> ascending = [];
        await foreach (EventEnvelope envelope in store.ReadWorkflowAsync("wf-3"))
        {
            ascending.Add(envelope.GetData<int>());
        }

        List<int> descending = [];
        EventQuery query = new() { WorkflowId = "wf-3", Order = EventOrder.Descending, PageSize = 4_000 };
        do
        {
            EventPage page = await store.QueryAsync(query);
            descending.AddRange(page.Events.Select(e => e.GetData<int>()));
            query.ContinuationToken = page.ContinuationToken;
        }
        while (query.ContinuationToken is not null);

        int[] expected = [.. Enumerable.Range(0, Total).Where(i => i % 7 == 3)];
        ascending.Should().Equal(expected);
        descending.Should().Equal(expected.Reverse());
    }

    [Fact]
    public void BadOptions_AreRefusedTogether()
    {
        Action open = () => _ = new SqliteEventStore(new SqliteEventStoreOptions { Path = " ", BatchSize = 0, WriteQueueCapacity = -1 });

        open.Should().Throw<ArgumentException>().WithMessage("*Path is empty*BatchSize is 0*WriteQueueCapacity is -1*");
    }

    private SqliteEventStore Open(Action<SqliteEventStoreOptions>? configure = null)
    {
        // The file's events carry StoredOrder payloads, which the application declares in its catalogue.
        SqliteEventStoreOptions options = new() { Path = _database.Path, Catalog = new EventCatalog(includeStandardEvents: false).Register<StoredOrder>() };
        configure?.Invoke(options);
        return new SqliteEventStore(options);
    }

    private void Execute(string sql) => _database.Execute(sql);

    private string Pragma(string name) => _database.Pragma(name);
}
