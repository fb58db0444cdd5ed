using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IDeadLetterStore"/> must have, run against each store that keeps dead letters (in
/// memory and SQLite now). Each implementation's test class says how to create a fresh store.
/// </summary>
public abstract class DeadLetterStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Gets the catalogue a serializing store reads payloads by: it declares the payload type these tests store.</summary>
    protected EventCatalog Catalog { get; } = new EventCatalog(includeStandardEvents: false).Register<StoredOrder>();

    [Fact]
    public async Task SavedDeadLetters_ReadBackInOrder_WithEveryField_AndNoSubscriptionId()
    {
        await using StoreUnderTest store = await CreateStoreAsync();
        EventEnvelope failed = new EventBuilder("payment.charge")
            .WithKind(EventKind.Command)
            .WithSource("shop")
            .WithTarget("billing")
            .WithWorkflow("wf-1", "checkout")
            .WithCorrelation("c-1")
            .WithPriority(EventPriority.High)
            .WithExpiry(TimeSpan.FromMinutes(5))
            .WithData(new StoredOrder("o-1", 9.5m, ["x"]))
            .WithMetadata("user_id", "u-1")
            .Build(Time);
        DeadLetter first = Letter(failed, "billing", DeadLetterReason.Failed, "System.InvalidOperationException", "card declined", attempts: 3);
        Time.Advance(TimeSpan.FromSeconds(1));
        DeadLetter second = Letter(Event("order.late"), "shipping", DeadLetterReason.Expired, exceptionType: null, exceptionMessage: null, attempts: 0);

        await store.DeadLetters.SaveDeadLettersAsync([first]);
        await store.DeadLetters.SaveDeadLettersAsync([second]);
        List<DeadLetter> read = await ReadAsync(store.DeadLetters);

        read.Select(l => l.Id).Should().Equal(first.Id, second.Id);
        DeadLetter back = read[0];
        back.Should().BeEquivalentTo(first, o => o.Excluding(l => l.Event).Excluding(l => l.SubscriptionId));
        back.SubscriptionId.Should().Be(Guid.Empty, "subscription ids do not outlive the bus that wrote them");
        back.Event.Should().BeEquivalentTo(failed, o => o.Excluding(e => e.Data).Excluding(e => e.Metadata));
        back.Event.Metadata.Should().Equal(failed.Metadata);
        back.Event.GetData<StoredOrder>().Should().BeEquivalentTo(new StoredOrder("o-1", 9.5m, ["x"]));
        read[1].ExceptionType.Should().BeNull();
        read[1].Reason.Should().Be(DeadLetterReason.Expired);
    }

    [Fact]
    public async Task SavingAnIdTwice_KeepsOne_AndRemovalIgnoresUnknownIds()
    {
        await using StoreUnderTest store = await CreateStoreAsync();
        DeadLetter[] letters = [.. Enumerable.Range(0, 5).Select(i => Letter(Event("batch.failed", data: i), "sink"))];

        await store.DeadLetters.SaveDeadLettersAsync(letters);
        await store.DeadLetters.SaveDeadLettersAsync([letters[0], letters[4]]);
        await store.DeadLetters.RemoveDeadLettersAsync([letters[1].Id, Guid.NewGuid(), letters[3].Id]);
        await store.DeadLetters.SaveDeadLettersAsync([]);
        await store.DeadLetters.RemoveDeadLettersAsync([]);

        (await ReadAsync(store.DeadLetters)).Select(l => l.Event.GetData<int>()).Should().Equal(0, 2, 4);
    }

    [Fact]
    public async Task DeadLetters_AreKeptApartFromEvents()
    {
        await using StoreUnderTest store = await CreateStoreAsync();
        DeadLetter letter = Letter(Event("kept.apart"), "sink");

        await store.DeadLetters.SaveDeadLettersAsync([letter]);
        await store.Events.AppendAsync(Event("ordinary.event"), PersistenceLevel.Critical);
        await store.Events.PruneAsync(new EventRetention { MaxCount = 0 });

        (await store.Events.CountAsync()).Should().Be(0);
        (await store.Events.GetAsync(letter.Event.Id)).Should().BeNull("a dead letter's event is not stored as a published event");
        (await ReadAsync(store.DeadLetters)).Should().ContainSingle().Which.Id.Should().Be(letter.Id, "pruning events leaves dead letters alone");
    }

    [Fact]
    public async Task BadInput_IsRefusedWithTheIndexAndTheFix_AndNothingOfItIsSaved()
    {
        await using StoreUnderTest store = await CreateStoreAsync();

        Func<Task> nullList = () => store.DeadLetters.SaveDeadLettersAsync(null!).AsTask();
        Func<Task> nullItem = () => store.DeadLetters.SaveDeadLettersAsync([Letter(Event("a.b"), "sink"), null!]).AsTask();
        Func<Task> nullIds = () => store.DeadLetters.RemoveDeadLettersAsync(null!).AsTask();

        await nullList.Should().ThrowAsync<ArgumentNullException>();
        (await nullItem.Should().ThrowAsync<ArgumentException>()).WithMessage("*null at index 1; remove it*");
        await nullIds.Should().ThrowAsync<ArgumentNullException>();
        (await ReadAsync(store.DeadLetters)).Should().BeEmpty();
    }

    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    protected EventEnvelope Event(string type, object? data = null) => new EventBuilder(type).WithData(data).Build(Time);

    protected DeadLetter Letter(
        EventEnvelope envelope,
        string subscriberId,
        DeadLetterReason reason = DeadLetterReason.Failed,
        string? exceptionType = "System.InvalidOperationException",
        string? exceptionMessage = "down",
        int attempts = 1) =>
        new()
        {
            Id = Guid.CreateVersion7(Time.GetUtcNow()),
            Event = envelope,
            SubscriberId = subscriberId,
            Reason = reason,
            ExceptionType = exceptionType,
            ExceptionMessage = exceptionMessage,
            Attempts = attempts,
            DeadLetteredAt = Time.GetUtcNow(),
        };

    protected static async Task<List<DeadLetter>> ReadAsync(IDeadLetterStore store)
    {
        List<DeadLetter> letters = [];
        await foreach (DeadLetter letter in store.ReadDeadLettersAsync())
        {
            letters.Add(letter);
        }

        return letters;
    }

    /// <summary>A store as both of its faces, disposed with it.</summary>
    protected sealed class StoreUnderTest(IEventStore store) : IAsyncDisposable
    {
        public IEventStore Events => store;

        public IDeadLetterStore DeadLetters => (IDeadLetterStore)store;

        public ValueTask DisposeAsync() => store.DisposeAsync();
    }
}
