using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Resilience;

/// <summary>Dead letters kept in the store: written as the queue changes, read back when a new bus starts.</summary>
public sealed class DeadLetterPersistenceTests
{
    private static readonly SubscriptionOptions Billing = new() { SubscriberId = "billing" };

    [Fact]
    public async Task DeadLetters_OutliveTheBus_AndARetryGoesToTheLiveSubscriberWithTheSameId()
    {
        InMemoryEventStore store = new();
        EventEnvelope order = Buses.Event("order.placed", key: "wf-1");
        await using (IEventBus first = await Buses.StartedWithStoreAsync(store))
        {
            first.Subscribe(EventFilter.Pattern("order.#"), (_, _) => throw new InvalidOperationException("billing down"), Billing);
            await first.PublishAndWaitAsync(order).Within();
        }

        await using IEventBus second = await Buses.StartedWithStoreAsync(store);
        DeadLetter restored = second.DeadLetters.List().Should().ContainSingle().Subject;
        Signal handled = new(1);
        EventEnvelope? redelivered = null;
        second.Subscribe(EventFilter.Pattern("order.#"), (e, _) =>
        {
            redelivered = e;
            handled.Hit();
            return ValueTask.CompletedTask;
        }, Billing);
        second.Subscribe(EventFilter.Pattern("order.#"), (_, _) => throw new InvalidOperationException("a bystander must not see the retry"), new SubscriptionOptions { SubscriberId = "audit" });

        bool retried = second.DeadLetters.Retry(restored.Id);
        await handled.WaitAsync();
        await second.StopAsync();

        second.DeadLetters.Restored.Should().Be(1);
        restored.SubscriptionId.Should().Be(Guid.Empty);
        restored.Event.Should().BeSameAs(order);
        retried.Should().BeTrue();
        redelivered!.Id.Should().Be(order.Id);
        second.DeadLetters.Count.Should().Be(0);
        second.GetStatistics().Should().BeEquivalentTo(new { DeadLettered = 0L, DeadLetterStoreFailures = 0L });
        (await ReadAsync(store)).Should().BeEmpty("the retry removed the dead letter from the store");
    }

    [Fact]
    public async Task RetryingARestoredDeadLetter_WithoutItsSubscriber_Throws_NamingTheSubscriberId_AndKeepsIt()
    {
        InMemoryEventStore store = new();
        await DeadLetterOneAsync(store, Buses.Event("order.placed"));
        await using IEventBus restarted = await Buses.StartedWithStoreAsync(store);
        restarted.Subscribe(EventFilter.Pattern("order.#"), (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { SubscriberId = "someone-else" });
        DeadLetter restored = restarted.DeadLetters.List().Single();

        Action retry = () => restarted.DeadLetters.Retry(restored.Id);

        retry.Should().Throw<InvalidOperationException>().WithMessage("*restored from the store for subscriber 'billing'*SubscriberId = \"billing\"*");
        restarted.DeadLetters.RetryAll().Should().Be(0);
        restarted.DeadLetters.Count.Should().Be(1);
        await restarted.StopAsync();
        (await ReadAsync(store)).Should().ContainSingle("a dead letter that could not be retried stays in the store");
    }

    [Fact]
    public async Task PurgeAndEviction_RemoveDeadLettersFromTheStoreToo()
    {
        InMemoryEventStore store = new();
        await using IEventBus bus = await Buses.StartedWithStoreAsync(store, configure: o => o.DeadLetterCapacity = 2);
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), Billing);
        EventEnvelope[] events = [Buses.Event("a.one", key: "k"), Buses.Event("b.two", key: "k"), Buses.Event("c.three", key: "k")];

        await bus.PublishBatchAsync(events);
        await bus.WaitForIdleAsync().Within();
        int purged = bus.DeadLetters.PurgeAll(new DeadLetterQuery { TypePattern = "b.*" });
        await bus.StopAsync();

        purged.Should().Be(1);
        bus.DeadLetters.Evicted.Should().Be(1);
        (await ReadAsync(store)).Select(l => l.Event.Id).Should().Equal([events[2].Id], "the first was evicted and the second purged");
    }

    [Fact]
    public async Task RestoringMoreThanTheQueueHolds_EvictsTheOldest_FromTheStoreToo()
    {
        InMemoryEventStore store = new();
        EventEnvelope[] events = [Buses.Event("a.one"), Buses.Event("a.two"), Buses.Event("a.three")];
        await DeadLetterOneAsync(store, events);

        await using IEventBus small = await Buses.StartedWithStoreAsync(store, configure: o => o.DeadLetterCapacity = 2);
        await small.StopAsync();

        small.DeadLetters.Restored.Should().Be(3);
        small.DeadLetters.Evicted.Should().Be(1);
        small.DeadLetters.List().Select(l => l.Event.Id).Should().Equal(events[1].Id, events[2].Id);
        (await ReadAsync(store)).Select(l => l.Event.Id).Should().Equal(events[1].Id, events[2].Id);
    }

    [Fact]
    public async Task WithStoreDeadLettersOff_TheStoreKeepsNone()
    {
        InMemoryEventStore store = new();
        await DeadLetterOneAsync(store, [Buses.Event("order.placed")], new EventStoreOptions { StoreDeadLetters = false });

        (await ReadAsync(store)).Should().BeEmpty();
        (await store.CountAsync()).Should().Be(1, "events are still stored");
    }

    [Fact]
    public async Task ASaveTheStoreRefuses_IsCountedAndLogged_OnlyForThatLetter_AndTheQueueKeepsIt()
    {
        FakeLogCollector logs = new();
        RefusingDeadLetterStore store = new(refuseSave: letter => letter.Event.Type == "poison.pill");
        await using IEventBus bus = await Buses.StartedWithStoreAsync(store, logs: logs);
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), Billing);
        EventEnvelope[] events = [Buses.Event("good.one", key: "k"), Buses.Event("poison.pill", key: "k"), Buses.Event("good.two", key: "k")];

        await bus.PublishBatchAsync(events);
        await bus.WaitForIdleAsync().Within();
        await bus.StopAsync();

        bus.DeadLetters.Count.Should().Be(3);
        bus.DeadLetters.StoreFailures.Should().Be(1);
        bus.GetStatistics().DeadLetterStoreFailures.Should().Be(1);
        (await ReadAsync(store.Inner)).Select(l => l.Event.Type).Should().Equal("good.one", "good.two");
        logs.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Error && r.Message.Contains("dead-letter change(s) to the store failed", StringComparison.Ordinal))
            .Which.Exception!.Message.Should().Contain("poison.pill");
    }

    [Fact]
    public async Task ARemovalTheStoreRefuses_IsCounted_AndTheRetryStillHappens()
    {
        RefusingDeadLetterStore store = new(refuseRemovals: true);
        await using IEventBus bus = await Buses.StartedWithStoreAsync(store);
        int attempts = 0;
        Signal handled = new(1);
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new InvalidOperationException("down");
            }

            handled.Hit();
            return ValueTask.CompletedTask;
        }, Billing);
        await bus.PublishAndWaitAsync(Buses.Event()).Within();

        bus.DeadLetters.RetryAll().Should().Be(1);
        await handled.WaitAsync();
        await bus.StopAsync();

        bus.DeadLetters.StoreFailures.Should().Be(1);
        (await ReadAsync(store.Inner)).Should().ContainSingle("the store kept what it could not remove; the failure says so");
    }

    [Fact]
    public async Task AStoreThatCanNotBeRead_DoesNotKeepTheBusFromStarting_AndSaysSo()
    {
        FakeLogCollector logs = new();
        RefusingDeadLetterStore store = new(refuseRead: true);

        await using IEventBus bus = await Buses.StartedWithStoreAsync(store, logs: logs);

        bus.State.Should().Be(EventBusState.Running);
        bus.DeadLetters.StoreFailures.Should().Be(1);
        bus.DeadLetters.Restored.Should().Be(0);
        logs.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Error && r.Message.Contains("Reading dead letters back from the store failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentStarts_RestoreOnce()
    {
        InMemoryEventStore store = new();
        await DeadLetterOneAsync(store, Buses.Event("order.placed"));
        await using IEventBus bus = EventBusFactory.Create(store: store);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => bus.StartAsync()))).Within();

        bus.DeadLetters.Restored.Should().Be(1);
        bus.DeadLetters.Count.Should().Be(1);
    }

    [Fact]
    public async Task ACancelledStart_IsForgotten_SoTheNextStartRestores()
    {
        InMemoryEventStore store = new();
        await DeadLetterOneAsync(store, Buses.Event("order.placed"));
        await using IEventBus bus = EventBusFactory.Create(store: store);

        Func<Task> cancelled = () => bus.StartAsync(new CancellationToken(canceled: true));
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        await bus.StartAsync();

        bus.State.Should().Be(EventBusState.Running);
        bus.DeadLetters.Restored.Should().Be(1);
    }

    /// <summary>Runs a bus whose "billing" subscription dead-letters each event, then stops it, so the store has them all.</summary>
    private static async Task DeadLetterOneAsync(InMemoryEventStore store, params EventEnvelope[] events) =>
        await DeadLetterOneAsync(store, events, storeOptions: null);

    private static async Task DeadLetterOneAsync(InMemoryEventStore store, EventEnvelope[] events, EventStoreOptions? storeOptions)
    {
        await using IEventBus bus = await Buses.StartedWithStoreAsync(store, storeOptions);
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), Billing);
        foreach (EventEnvelope envelope in events)
        {
            await bus.PublishAndWaitAsync(envelope).Within();
        }

        await bus.StopAsync();
        bus.DeadLetters.Count.Should().Be(events.Length);
    }

    private static async Task<List<DeadLetter>> ReadAsync(InMemoryEventStore store)
    {
        List<DeadLetter> letters = [];
        await foreach (DeadLetter letter in store.ReadDeadLettersAsync())
        {
            letters.Add(letter);
        }

        return letters;
    }
}
