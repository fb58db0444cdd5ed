namespace EventBus.Testing.Tests.Contract;

/// <summary>
/// What every <see cref="IEventPublisher"/> of these packages does alike, run against the bus (one worker, several, with a
/// store, publish-and-wait inline) and against the test fakes, so that code tested with a fake behaves the same on the
/// bus. Each subject says which events it took, in the order it took them (events of one key keep their order).
/// </summary>
public abstract class EventPublisherContract : IAsyncLifetime
{
    private IEventPublisher? _publisher;

    protected IEventPublisher Publisher => _publisher ?? throw new InvalidOperationException("The subject is created in InitializeAsync.");

    public async Task InitializeAsync() => _publisher = await CreateAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task EventsArePublishedInOrder_WithTheirIds()
    {
        EventEnvelope[] events = [Event("order.placed"), Event("order.paid"), Event("order.shipped")];

        await Publisher.PublishAsync(events[0]);
        Publisher.TryPublish(events[1]).Should().BeTrue();
        await Publisher.PublishAsync(events[2]);

        (await SeenAsync()).Select(e => e.Id).Should().Equal(events.Select(e => e.Id));
    }

    [Fact]
    public async Task ABatch_StampsOneNewBatchIdOnEveryEvent_AndKeepsTheirIdsAndOrder()
    {
        EventEnvelope[] events = [Event("order.placed"), Event("order.paid")];

        BatchPublishResult result = await Publisher.PublishBatchAsync(events);

        result.Accepted.Should().Be(2);
        result.Events.Select(e => e.Id).Should().Equal(events.Select(e => e.Id));
        IReadOnlyList<EventEnvelope> seen = await SeenAsync();
        seen.Select(e => e.Id).Should().Equal(events.Select(e => e.Id));
        seen.Should().OnlyContain(e => e.Metadata[EventMetadataKeys.BatchId] == result.BatchId.ToString());
        result.BatchId.Should().NotBe(Guid.Empty);
    }

    [Fact]
    public async Task AnEmptyBatch_AcceptsNothing()
    {
        BatchPublishResult result = await Publisher.PublishBatchAsync([]);

        result.Accepted.Should().Be(0);
        result.Events.Should().BeEmpty();
        (await SeenAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task ABatchHoldingNull_IsRefusedWhole_NamingTheIndex()
    {
        await Publisher.Invoking(p => p.PublishBatchAsync([Event("order.placed"), null!]).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*null at index 1*");

        (await SeenAsync()).Should().BeEmpty("no event of a refused batch is published");
    }

    [Fact]
    public async Task NullEvents_AreRefused()
    {
        await Publisher.Invoking(p => p.PublishAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        Publisher.Invoking(p => p.TryPublish(null!)).Should().Throw<ArgumentNullException>();
        await Publisher.Invoking(p => p.PublishAndWaitAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        await Publisher.Invoking(p => p.PublishBatchAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        (await SeenAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AnEventBeyondTheLimits_IsRefused_NamingTheFieldAndTheFix_AndNoneOfItsBatchIsPublished()
    {
        EventEnvelope oversized = new EventBuilder("order.placed").WithWorkflow(new string('w', 300)).Build(Publisher.TimeProvider);

        await Publisher.Invoking(p => p.PublishAsync(oversized).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*WorkflowId of 300 characters*MaxIdLength*");
        Publisher.Invoking(p => p.TryPublish(oversized)).Should().Throw<ArgumentException>();
        await Publisher.Invoking(p => p.PublishAndWaitAsync(oversized).AsTask()).Should().ThrowAsync<ArgumentException>();
        await Publisher.Invoking(p => p.PublishBatchAsync([Event("order.paid"), oversized]).AsTask()).Should().ThrowAsync<ArgumentException>();

        (await SeenAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAndWait_ReportsOnThatEvent()
    {
        EventEnvelope placed = Event("order.placed");

        PublishReport report = await Publisher.PublishAndWaitAsync(placed);

        report.EventId.Should().Be(placed.Id);
        (await SeenAsync()).Select(e => e.Id).Should().Equal(placed.Id);
    }

    [Fact]
    public void TheClock_IsTheOneEventsAreStampedWith()
    {
        DateTimeOffset before = Publisher.TimeProvider.GetUtcNow();
        DateTimeOffset stamped = Event("order.placed").Timestamp;
        DateTimeOffset after = Publisher.TimeProvider.GetUtcNow();

        stamped.Should().BeOnOrAfter(before).And.BeOnOrBefore(after, "events built with the publisher's clock carry its time");
    }

    /// <summary>Creates the publisher under test.</summary>
    protected abstract Task<IEventPublisher> CreateAsync();

    /// <summary>Returns the events the publisher took so far, once it has finished with them, in the order it took them.</summary>
    protected abstract Task<IReadOnlyList<EventEnvelope>> SeenAsync();

    /// <summary>An event of the one ordering key the suite uses, stamped with the publisher's clock.</summary>
    private EventEnvelope Event(string type) => new EventBuilder(type).WithWorkflow("wf-1").Build(Publisher.TimeProvider);
}
