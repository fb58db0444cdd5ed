using EventBus.Sqlite.Tests.Storage;
using EventBus.Testing;

namespace EventBus.Sqlite.Tests.Outbox;

public sealed class DurableOutboxTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task StoredEvents_AreSentFromTheStore_InOrder_NeverTheUnboundOrTheReceivedOnes()
    {
        InMemoryExternalPublisher publisher = new();
        await using OutboxApp app = await OutboxApp.StartAsync(_database.Path, publisher, batchSize: 7);
        List<Guid> published = [];
        for (int i = 0; i < 40; i++)
        {
            EventEnvelope order = Order(i);
            published.Add(order.Id);
            await app.Bus.PublishAsync(order);
            await app.Bus.PublishAsync(new EventBuilder("stock.created").Build());
            await app.Bus.PublishAsync(new EventBuilder("order.paid").WithMetadata(EventMetadataKeys.ReceivedFrom, "rabbitmq").Build());
        }

        await publisher.WaitForSentAsync(40).WaitAsync(Hang);

        // The relay counts a batch once it has awaited it, just after the publisher took the last event.
        await WaitUntilAsync(() => app.Relay.Sent == 40);
        publisher.Sent.Select(e => e.Id).Should().Equal(published, "stored events leave in the order of the store, and only those bound for the publisher");
        app.Relay.IsDurable.Should().BeTrue();
        app.Relay.Sent.Should().Be(40);
        app.Relay.Position.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task EventsStoredWhileThePublisherIsAway_SurviveARestart_AndWhatWasSentIsNotSentAgain()
    {
        InMemoryExternalPublisher first = new();
        await using (OutboxApp app = await OutboxApp.StartAsync(_database.Path, first))
        {
            await app.Bus.PublishAsync(Order(0));
            await first.WaitForSentAsync(1).WaitAsync(Hang);
            first.IsAvailable = false;
            for (int i = 1; i <= 20; i++)
            {
                await app.Bus.PublishAsync(Order(i));
            }
        }

        first.Sent.Should().ContainSingle("the publisher was away for the rest");
        InMemoryExternalPublisher second = new();
        await using OutboxApp restarted = await OutboxApp.StartAsync(_database.Path, second);
        await second.WaitForSentAsync(20).WaitAsync(Hang);
        await restarted.Bus.PublishAsync(Order(21));
        await second.WaitForSentAsync(21).WaitAsync(Hang);

        second.Sent.Select(e => e.GetData<int>()).Should().Equal(Enumerable.Range(1, 21), "the stored events were sent after the restart, and the confirmed one was not sent again");
    }

    [Fact]
    public async Task WhenThePublisherFails_TheRelayBacksOff_AndResumesAfterTheLastConfirmedBatch_InOrder()
    {
        InMemoryExternalPublisher publisher = new() { IsAvailable = false };
        await using OutboxApp app = await OutboxApp.StartAsync(_database.Path, publisher, batchSize: 4);
        for (int i = 0; i < 30; i++)
        {
            await app.Bus.PublishAsync(Order(i));
        }

        await WaitUntilAsync(() => app.Relay.SendFailures >= 2);
        publisher.IsAvailable = true;
        await publisher.WaitForSentAsync(30).WaitAsync(Hang);
        await WaitUntilAsync(() => app.Relay.Sent == 30);

        publisher.Sent.Select(e => e.GetData<int>()).Should().Equal(Enumerable.Range(0, 30), "after the failures the relay started again from the last confirmed batch");
        app.Relay.Sent.Should().Be(30);
        app.Relay.DeadLettered.Should().Be(0);
    }

    [Fact]
    public async Task ABatchAfterOneThatFailed_IsNotSent_SoTheFailedOneKeepsItsPlace()
    {
        InMemoryExternalPublisher away = new() { IsAvailable = false };
        await using (OutboxApp app = await OutboxApp.StartAsync(_database.Path, away, batchSize: 4))
        {
            for (int i = 0; i < 8; i++)
            {
                await app.Bus.PublishAsync(Order(i));
            }
        }

        // Two batches wait in the store; the first send fails, and the second must not overtake its retry.
        InMemoryExternalPublisher flaky = new();
        flaky.FailNext(1);
        await using OutboxApp restarted = await OutboxApp.StartAsync(_database.Path, flaky, batchSize: 4);
        await flaky.WaitForSentAsync(8).WaitAsync(Hang);
        await WaitUntilAsync(() => restarted.Relay.Sent == 8);

        flaky.Sent.Select(e => e.GetData<int>()).Should().Equal(Enumerable.Range(0, 8));
        restarted.Relay.SendFailures.Should().Be(1);
    }

    [Fact]
    public async Task AnEventThePublisherRefuses_IsDeadLettered_TheRestGo_AndARetrySendsIt()
    {
        InMemoryExternalPublisher publisher = new() { Refuse = e => e.GetData<int>() == 2 };
        await using OutboxApp app = await OutboxApp.StartAsync(_database.Path, publisher);
        for (int i = 1; i <= 3; i++)
        {
            await app.Bus.PublishAsync(Order(i));
        }

        await publisher.WaitForSentAsync(2).WaitAsync(Hang);
        await WaitUntilAsync(() => app.Relay.DeadLettered == 1);
        DeadLetter letter = app.Bus.DeadLetters.List().Should().ContainSingle().Subject;
        publisher.Refuse = null;
        app.Bus.DeadLetters.Retry(letter.Id).Should().BeTrue();
        await WaitUntilAsync(() => publisher.Sent.Any(e => e.GetData<int>() == 2));

        publisher.Sent.Select(e => e.GetData<int>()).Distinct().Should().Equal(1, 3, 2);
        letter.SubscriberId.Should().Be(ExternalPublishers.SubscriberIdOf("memory"));
        letter.ExceptionType.Should().Be(typeof(ArgumentException).FullName);
    }

    [Fact]
    public async Task TemporaryEvents_WhichTheStoreDoesNotKeep_GoThroughTheInMemoryOutbox()
    {
        InMemoryExternalPublisher publisher = new();
        await using OutboxApp app = await OutboxApp.StartAsync(_database.Path, publisher, levels => levels.Persist("order.draft", PersistenceLevel.Temporary));
        EventEnvelope draft = new EventBuilder("order.draft").WithData(7).Build();

        await app.Bus.PublishAsync(draft);
        await publisher.WaitForSentAsync(1).WaitAsync(Hang);

        publisher.Sent.Should().ContainSingle().Which.Id.Should().Be(draft.Id);
        (await app.Store.GetAsync(draft.Id)).Should().BeNull("temporary events are not stored");
    }

    private static EventEnvelope Order(int number) => new EventBuilder("order.placed").WithWorkflow("wf-" + (number % 3)).WithData(number).Build();

    /// <summary>Waits for a condition that a background relay makes true; no fixed sleep decides the outcome.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource timeout = new(Hang);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
