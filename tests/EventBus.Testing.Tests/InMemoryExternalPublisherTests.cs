using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Testing.Tests;

public sealed class InMemoryExternalPublisherTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WithoutALogStore_TheRelayIsAnInMemorySubscription_ThatSendsBoundEventsAndNeverReceivedOnes()
    {
        InMemoryExternalPublisher publisher = new("outside");
        await using ServiceProvider provider = await StartRelayingAsync(publisher);
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        EventEnvelope placed = new EventBuilder("order.placed").Build();

        await bus.PublishAsync(new EventBuilder("order.paid").WithMetadata(EventMetadataKeys.ReceivedFrom, "rabbitmq").Build());
        await bus.PublishAsync(new EventBuilder("stock.created").Build());
        await bus.PublishAsync(placed);
        await publisher.WaitForSentAsync(1).WaitAsync(Hang);
        await bus.WaitForIdleAsync();

        publisher.Sent.Should().ContainSingle().Which.Id.Should().Be(placed.Id);
        ExternalRelayStatistics relay = provider.GetRequiredService<ExternalRelays>()["outside"];
        relay.Should().BeEquivalentTo(new { Publisher = "outside", IsDurable = false, IsSending = true, Sent = 1L, DeadLettered = 0L, Position = 0L });
        provider.GetRequiredService<ExternalRelays>().All.Should().ContainSingle();
        bus.Subscriptions.Should().ContainSingle(s => s.SubscriberId == "external:outside");
        FluentActions.Invoking(() => provider.GetRequiredService<ExternalRelays>()["nobody"]).Should().Throw<KeyNotFoundException>().WithMessage("*'nobody'*outside*");
    }

    [Fact]
    public async Task AnUnavailablePublisher_FailsEachSend_AndARefusedEventThrowsArgumentException()
    {
        InMemoryExternalPublisher publisher = new() { IsAvailable = false };
        EventEnvelope order = new EventBuilder("order.placed").Build();

        await FluentActions.Awaiting(() => publisher.PublishAsync(order).AsTask()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*'memory' is unavailable*");
        publisher.IsAvailable = true;
        publisher.Refuse = e => e.Id == order.Id;
        await FluentActions.Awaiting(() => publisher.PublishBatchAsync([order]).AsTask()).Should().ThrowAsync<ArgumentException>().WithMessage($"*refuses event order.placed {order.Id}*");
        publisher.Refuse = null;
        Task waiting = publisher.WaitForSentAsync(1);
        waiting.IsCompleted.Should().BeFalse();
        await publisher.PublishBatchAsync([order]);
        await publisher.FlushAsync();
        await publisher.DisposeAsync();

        await waiting.WaitAsync(Hang);
        publisher.Attempts.Should().Be(3);
        publisher.Sent.Should().ContainSingle();
        publisher.Disposals.Should().Be(1);
        FluentActions.Invoking(() => new InMemoryExternalPublisher(string.Empty)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task ABatchWithARefusedEvent_IsRefusedWhole_BeforeAnyOfItIsTaken()
    {
        InMemoryExternalPublisher publisher = new();
        EventEnvelope[] batch = [new EventBuilder("order.placed").Build(), new EventBuilder("order.poison").Build(), new EventBuilder("order.paid").Build()];
        publisher.Refuse = e => e.Type == "order.poison";

        await FluentActions.Awaiting(() => publisher.PublishBatchAsync(batch).AsTask()).Should().ThrowAsync<ArgumentException>()
            .WithMessage($"*refuses event order.poison {batch[1].Id}*batch of 3*");

        publisher.Sent.Should().BeEmpty("the event before the refused one must not leave either, or resending the batch event by event would send it twice");
        publisher.Attempts.Should().Be(1);
    }

    [Fact]
    public async Task TheInMemoryOutbox_SendsEachEventOfABurstOnce_AndARefusedEventFailsAlone()
    {
        InMemoryExternalPublisher publisher = new();
        await using ServiceProvider provider = await StartRelayingAsync(publisher, o => o.Retry = RetryPolicy.None);
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        EventEnvelope[] burst = [.. Enumerable.Range(0, 500).Select(i => new EventBuilder(i == 250 ? "order.poison" : "order.placed").WithWorkflow("order-" + i).Build())];
        publisher.Refuse = e => e.Type == "order.poison";

        await Task.WhenAll(burst.Select(e => bus.PublishAsync(e).AsTask()));
        await publisher.WaitForSentAsync(499).WaitAsync(Hang);
        await bus.WaitForIdleAsync();

        publisher.Sent.Select(e => e.Id).Should().BeEquivalentTo(burst.Where(e => e.Type != "order.poison").Select(e => e.Id), "each event is sent once, whichever batch it rode in");
        bus.DeadLetters.List().Should().ContainSingle().Which.Event.Id.Should().Be(burst[250].Id);
        provider.GetRequiredService<ExternalRelays>()["memory"].Sent.Should().Be(499);
    }

    [Fact]
    public async Task AnEventThePublisherRefuses_IsDeadLetteredAtOnceByTheInMemoryOutbox_NotRetriedForAMinuteAndAHalf()
    {
        InMemoryExternalPublisher publisher = new() { Refuse = e => e.Type == "order.poison" };
        await using ServiceProvider provider = await StartRelayingAsync(publisher);
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        EventEnvelope poison = new EventBuilder("order.poison").Build();

        await bus.PublishAsync(poison);
        await bus.WaitForIdleAsync().WaitAsync(Hang);

        DeadLetter letter = bus.DeadLetters.List().Should().ContainSingle().Subject;
        letter.Should().BeEquivalentTo(new { Attempts = 1, ExceptionType = typeof(ArgumentException).FullName }, o => o.ExcludingMissingMembers());
        letter.Event.Id.Should().Be(poison.Id);
        publisher.Attempts.Should().Be(1);
    }

    /// <summary>Starts a bus that relays <c>order.*</c> to <paramref name="publisher"/> through the in-memory outbox.</summary>
    private static async Task<ServiceProvider> StartRelayingAsync(InMemoryExternalPublisher publisher, Action<ExternalPublisherOptions>? configure = null)
    {
        ServiceCollection services = new();
        services.AddEventBus().AddExternalPublisher(_ => publisher, ["order.*"], configure);
        ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IEventBus>().StartAsync();
        return provider;
    }
}
