using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Testing.Tests;

public sealed class InMemoryEventPublisherTests
{
    private readonly InMemoryEventPublisher _publisher = new();

    [Fact]
    public async Task Publish_RecordsEveryEventInOrder_AndQueriesFindThem()
    {
        EventEnvelope started = new EventBuilder("workflow.started").WithWorkflow("wf-1").Build(_publisher.TimeProvider);
        EventEnvelope command = new EventBuilder("ship.order").WithKind(EventKind.Command).WithCorrelation("c-1").WithData(7).Build(_publisher.TimeProvider);
        EventEnvelope progress = started.CreateCaused("phase.progress", "half", _publisher.TimeProvider);

        await _publisher.PublishAsync(started);
        _publisher.TryPublish(command).Should().BeTrue();
        BatchPublishResult batch = await _publisher.PublishBatchAsync([progress]);
        (await _publisher.PublishAndWaitAsync(command)).Outcomes.Should().BeEmpty();

        EventEnvelope stamped = batch.Events.Should().ContainSingle().Subject;
        stamped.Id.Should().Be(progress.Id, "a batch keeps the events' ids");
        stamped.Metadata[EventMetadataKeys.BatchId].Should().Be(batch.BatchId.ToString(), "as the bus does, the fake stamps the batch id");
        _publisher.Published.All.Should().Equal(started, command, stamped, command);
        _publisher.Published.Count.Should().Be(4);
        _publisher.Published.OfType("phase.*").Should().Equal(stamped);
        _publisher.Published.OfKind(EventKind.Command).Should().HaveCount(2);
        _publisher.Published.ForWorkflow("wf-1").Should().Equal(started, stamped);
        _publisher.Published.ForCorrelation("c-1").Should().HaveCount(2);
        _publisher.Published.Payloads<int>().Should().Equal(7, 7);
        _publisher.TimeProvider.Should().BeOfType<FakeTimeProvider>();
    }

    [Fact]
    public async Task Reset_ForgetsRecordedEvents()
    {
        await _publisher.PublishAsync(EventEnvelope.Create("a.b"));

        _publisher.Reset();

        _publisher.Published.All.Should().BeEmpty();
        _publisher.Published.Describe().Should().Contain("nothing was published");
    }

    [Fact]
    public async Task Publish_FromManyThreads_RecordsEveryEvent()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                await _publisher.PublishAsync(EventEnvelope.Create("load.test"));
            }
        })));

        _publisher.Published.Count.Should().Be(8_000);
    }

    [Fact]
    public async Task Publish_BadInput_IsRejectedLikeTheRealBus()
    {
        await _publisher.Invoking(p => p.PublishAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>();
        _publisher.Invoking(p => p.TryPublish(null!)).Should().Throw<ArgumentNullException>();
        await _publisher.Invoking(p => p.PublishBatchAsync([EventEnvelope.Create("a.b"), null!]).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*null at index 1*");
        _publisher.Published.Count.Should().Be(0, "a rejected batch records nothing");
    }

    [Fact]
    public void UseInMemoryEventPublisher_ReplacesThePublisherInDependencyInjection()
    {
        ServiceCollection services = new();
        services.AddEventBus();

        services.UseInMemoryEventPublisher(_publisher);
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEventPublisher>().Should().BeSameAs(_publisher);
        provider.GetRequiredService<InMemoryEventPublisher>().Should().BeSameAs(_publisher);
    }
}
