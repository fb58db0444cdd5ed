using EventBus.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Resilience;

/// <summary>The journal that mirrors dead letters into the store: bounded while the store lags, completed when the bus stops.</summary>
public sealed class DeadLetterJournalTests
{
    [Fact]
    public async Task AStoreFarBehind_HasChangesBeyondTheBoundCounted_AndNothingWaits()
    {
        HeldDeadLetterStore store = new();
        FakeLogger logger = new();
        DeadLetterJournal journal = new(store, logger, bound: 4);

        // The loop takes the first save and waits in the store; four more fill the bound, the rest spill.
        journal.Saved(Letter());
        await store.FirstSaveStarted.WaitAsync(TimeSpan.FromSeconds(10));
        for (int i = 0; i < 7; i++)
        {
            journal.Saved(Letter());
        }

        journal.Failures.Should().Be(3, "a full journal counts what it can not take and never blocks the caller");
        DeadLetterJournal.BoundFor(10_000).Should().Be(20_000, "two changes per place: a save and the removal of the letter it evicts");
        DeadLetterJournal.BoundFor(2).Should().Be(4_096, "a purge or a run of evictions comes at once");
        logger.Collector.GetSnapshot().Should().Contain(r => r.Message.Contains("the store is too far behind", StringComparison.Ordinal));

        store.Release();
        await journal.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(10));
        store.Saved.Should().Be(5, "every change that found room is written before the journal completes");
    }

    [Fact]
    public async Task ACompletedJournal_WritesWhatItHeld_AndCountsLaterChanges()
    {
        HeldDeadLetterStore store = new();
        store.Release();
        FakeLogger logger = new();
        DeadLetterJournal journal = new(store, logger, bound: 100);
        journal.Saved(Letter());
        journal.Saved(Letter());

        await journal.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(10));
        journal.Removed(Guid.NewGuid());

        store.Saved.Should().Be(2);
        journal.Failures.Should().Be(1);
        logger.Collector.LatestRecord.Message.Should().Contain("the bus has stopped");
    }

    [Fact]
    public async Task StoppingTheBus_CompletesTheJournal_SoAChangeAfterwardsIsCounted()
    {
        RefusingDeadLetterStore store = new();
        IEventBus bus = await Buses.StartedWithStoreAsync(store);
        bus.Subscribe(EventFilter.Pattern("order.#"), (_, _) => throw new InvalidOperationException("billing down"), new SubscriptionOptions { SubscriberId = "billing" });
        await bus.PublishAndWaitAsync(Buses.Event("order.placed", key: "wf-1")).Within();

        await bus.StopAsync();
        (await store.ReadDeadLettersAsync().CountAsync()).Should().Be(1, "the drain's dead letters reach the store before the bus reports itself stopped");
        bus.DeadLetters.Purge(bus.DeadLetters.List()[0].Id).Should().BeTrue();

        bus.DeadLetters.StoreFailures.Should().Be(1, "the stopped bus's journal takes no more changes, and says so");
        await bus.DisposeAsync();
    }

    private static DeadLetter Letter() => new()
    {
        Id = Guid.NewGuid(),
        Event = Buses.Event("order.placed", key: "wf-1"),
        SubscriberId = "billing",
        Reason = DeadLetterReason.Failed,
    };

    /// <summary>A dead-letter store whose saves wait until released.</summary>
    private sealed class HeldDeadLetterStore : IDeadLetterStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstSave = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _saved;

        public Task FirstSaveStarted => _firstSave.Task;

        public int Saved => Volatile.Read(ref _saved);

        public void Release() => _released.TrySetResult();

        public async ValueTask SaveDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default)
        {
            _firstSave.TrySetResult();
            await _released.Task;
            Interlocked.Add(ref _saved, letters.Count);
        }

        public ValueTask RemoveDeadLettersAsync(IReadOnlyList<Guid> deadLetterIds, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public IAsyncEnumerable<DeadLetter> ReadDeadLettersAsync(CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<DeadLetter>();
    }
}
