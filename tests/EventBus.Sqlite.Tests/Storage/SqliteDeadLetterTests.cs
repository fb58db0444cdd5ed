using EventBus.Tests.Storage;

namespace EventBus.Sqlite.Tests.Storage;

public sealed class SqliteDeadLetterTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DeadLetters_SurviveARestart_AndARetryReachesTheSubscriberWithTheSameId()
    {
        EventEnvelope order = new EventBuilder("order.placed").WithWorkflow("wf-1").WithData(new StoredOrder("o-1", 3m, ["a"])).Build();
        await using (SqliteEventStore store = Open())
        {
            await using IEventBus bus = EventBusFactory.Create(store: store);
            await bus.StartAsync();
            bus.Subscribe(EventFilter.Pattern("order.#"), (_, _) => throw new InvalidOperationException("billing down"), new SubscriptionOptions { SubscriberId = "billing" });

            await bus.PublishAndWaitAsync(order).AsTask().WaitAsync(Hang);
            (await bus.StopAsync()).UnhandledDeliveries.Should().Be(0);
        }

        await using SqliteEventStore reopened = Open();
        await using IEventBus restarted = EventBusFactory.Create(store: reopened);
        await restarted.StartAsync();
        DeadLetter restored = restarted.DeadLetters.List().Should().ContainSingle().Subject;
        TaskCompletionSource<EventEnvelope> handled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        restarted.Subscribe(EventFilter.Pattern("order.#"), (e, _) => { handled.TrySetResult(e); return ValueTask.CompletedTask; }, new SubscriptionOptions { SubscriberId = "billing" });

        bool retried = restarted.DeadLetters.Retry(restored.Id);
        EventEnvelope redelivered = await handled.Task.WaitAsync(Hang);
        await restarted.StopAsync();

        restarted.DeadLetters.Restored.Should().Be(1);
        restored.Should().BeEquivalentTo(new { SubscriberId = "billing", Reason = DeadLetterReason.Failed, ExceptionMessage = "billing down", Attempts = 1 });
        restored.ExceptionType.Should().Be(typeof(InvalidOperationException).FullName);
        retried.Should().BeTrue();
        redelivered.Id.Should().Be(order.Id);
        redelivered.GetData<StoredOrder>().Should().BeEquivalentTo(new StoredOrder("o-1", 3m, ["a"]));
        (await ReadAsync(reopened)).Should().BeEmpty("a retried dead letter leaves the store too");
    }

    [Fact]
    public async Task AVersion1File_IsMigrated_KeepingItsEvents()
    {
        EventEnvelope stored = new EventBuilder("order.placed").WithData(5).Build();
        await using (SqliteEventStore store = Open())
        {
            await store.AppendAsync(stored, PersistenceLevel.Critical);
        }

        // Versions 2 to 4 added only tables, so without them this is the file version 1 wrote.
        _database.Execute("DROP TABLE dead_letters; DROP TABLE checkpoints; DROP TABLE inbox; DROP TABLE streams; DROP TABLE snapshots; PRAGMA user_version = 1;");
        await using SqliteEventStore migrated = Open();
        DeadLetter letter = new() { Id = Guid.NewGuid(), Event = stored, SubscriberId = "sink", Reason = DeadLetterReason.Expired, DeadLetteredAt = stored.Timestamp };
        await migrated.SaveDeadLettersAsync([letter]);

        _database.Pragma("user_version").Should().Be("4");
        (await migrated.GetAsync(stored.Id))!.GetData<int>().Should().Be(5);
        (await ReadAsync(migrated)).Should().ContainSingle().Which.Id.Should().Be(letter.Id);
        (await migrated.AppendToStreamAsync("order-1", StreamVersion.NoStream, [new EventBuilder("order.placed").Build()])).Should().Be(1, "the migrated file has streams");
    }

    private static async Task<List<DeadLetter>> ReadAsync(SqliteEventStore store)
    {
        List<DeadLetter> letters = [];
        await foreach (DeadLetter letter in store.ReadDeadLettersAsync())
        {
            letters.Add(letter);
        }

        return letters;
    }

    private SqliteEventStore Open() => new(new SqliteEventStoreOptions { Path = _database.Path, Catalog = new EventCatalog(includeStandardEvents: false).Register<StoredOrder>() });
}
