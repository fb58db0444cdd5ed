using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Testing.Tests;

public sealed class EventBusHarnessTests
{
    [Fact]
    public async Task WaitForIdle_CoversEventsThatHandlersPublishInTurn()
    {
        await using EventBusHarness harness = await EventBusHarness.StartAsync();
        IEventBus bus = harness.Bus;
        bus.Subscribe(EventFilter.Pattern("order.placed"), async (e, ct) => await bus.PublishAsync(e.CreateCaused("order.packed", timeProvider: harness.Time), ct));
        bus.Subscribe(EventFilter.Pattern("order.packed"), async (e, ct) => await bus.PublishAsync(e.CreateCaused("order.shipped", timeProvider: harness.Time), ct));

        await bus.PublishAsync(new EventBuilder("order.placed").WithWorkflow("order-1").Build(harness.Time));
        await harness.WaitForIdleAsync();

        harness.Published.All.Select(e => e.Type).Should().Equal("order.placed", "order.packed", "order.shipped");
        harness.ExpectPublished("order.shipped").ForWorkflow("order-1").Once().After("order.packed");
        harness.Handled.Should().HaveCount(2).And.OnlyContain(h => h.Succeeded);
        harness.ExpectNoFailures();
    }

    [Fact]
    public async Task WithAStore_PublishedEventsAreStored_AndCanBeReplayedIntoTheHarness()
    {
        InMemoryEventStore store = new();
        await using EventBusHarness harness = await EventBusHarness.StartAsync(store: store);
        List<bool> replayFlags = [];
        harness.Bus.Subscribe(EventFilter.Pattern("order.#"), (e, _) =>
        {
            replayFlags.Add(e.Metadata.TryGetValue(EventMetadataKeys.Replayed, out string? replayed) && replayed == "true");
            return ValueTask.CompletedTask;
        });
        EventEnvelope placed = new EventBuilder("order.placed").WithWorkflow("order-1").Build(harness.Time);

        await harness.Bus.PublishAsync(placed);
        await harness.WaitForIdleAsync();
        ReplayResult replay = await new EventReplayer(harness.Bus, harness.Store!).ReplayWorkflowAsync("order-1");
        await harness.WaitForIdleAsync();

        harness.Store.Should().BeSameAs(store);
        (await store.GetAsync(placed.Id)).Should().NotBeNull();
        replay.Replayed.Should().Be(1);
        replayFlags.Should().Equal(false, true);
        harness.Published.All.Should().HaveCount(2, "a replay publishes through the bus too, and is recorded, marked as a replay")
            .And.ContainSingle(e => e.Metadata.ContainsKey(EventMetadataKeys.Replayed));
    }

    [Fact]
    public async Task Failures_AreRecordedWithTheirExceptions_AndStillCountedByTheBus()
    {
        await using EventBusHarness harness = await EventBusHarness.StartAsync();
        ISubscription subscription = harness.Bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("no stock"), new SubscriptionOptions { SubscriberId = "inventory" });

        await harness.Bus.PublishAsync(EventEnvelope.Create("order.placed", timeProvider: harness.Time));
        await harness.WaitForIdleAsync();

        HandledEvent failure = harness.Failures.Should().ContainSingle().Subject;
        failure.Subscription.Should().BeSameAs(subscription);
        failure.Exception!.Message.Should().Be("no stock");
        failure.ToString().Should().Be("order.placed by inventory: failed: no stock");
        harness.Bus.GetStatistics().Failed.Should().Be(1);
        FluentActions.Invoking(harness.ExpectNoFailures).Should().Throw<EventAssertionException>()
            .WithMessage("Expected no handler to fail, but 1 did:*order.placed by inventory: failed: no stock*");
    }

    [Fact]
    public async Task Time_IsFakeAndDrivesTheBus()
    {
        await using EventBusHarness harness = EventBusHarness.Create(o => o.DrainTimeout = TimeSpan.FromSeconds(10));
        DateTimeOffset start = harness.Time.GetUtcNow();
        harness.Bus.TimeProvider.Should().BeSameAs(harness.Time);
        TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Bus.Subscribe(EventFilter.All, async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await harness.Bus.StartAsync();
        await harness.Bus.PublishAsync(EventEnvelope.Create("slow.job", timeProvider: harness.Time));
        await entered.Task;

        Task<DrainReport> stopping = harness.Bus.StopAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        DrainReport report = await stopping;

        report.Completed.Should().BeFalse();
        report.Elapsed.Should().Be(TimeSpan.FromSeconds(10), "the drain deadline is measured on the fake clock");
        harness.Published.All.Single().Timestamp.Should().Be(start);
    }

    [Fact]
    public async Task TryPublishAndBatch_AreRecordedOnlyWhenAccepted()
    {
        await using EventBusHarness harness = EventBusHarness.Create(o => { o.Capacity = 1; o.FullMode = BusFullMode.Reject; });

        harness.Bus.TryPublish(EventEnvelope.Create("a.one", timeProvider: harness.Time)).Should().BeTrue();
        harness.Bus.TryPublish(EventEnvelope.Create("a.two", timeProvider: harness.Time)).Should().BeFalse();
        await harness.Bus.Invoking(b => b.PublishAndWaitAsync(EventEnvelope.Create("a.refused", timeProvider: harness.Time)).AsTask())
            .Should().ThrowAsync<EventBusFullException>("the bus is not started and a.one holds its only place");
        await harness.Bus.StartAsync();
        await harness.WaitForIdleAsync();
        await harness.Bus.PublishBatchAsync([EventEnvelope.Create("a.three", timeProvider: harness.Time)]);
        await harness.WaitForIdleAsync();
        (await harness.Bus.PublishAndWaitAsync(EventEnvelope.Create("a.four", timeProvider: harness.Time))).Outcomes.Should().BeEmpty();

        harness.Published.All.Select(e => e.Type).Should().Equal("a.one", "a.three", "a.four");
        harness.Bus.Subscriptions.Should().BeEmpty();
        harness.Bus.State.Should().Be(EventBusState.Running);
    }

    [Fact]
    public async Task WaitingForIdle_OnAHarnessNeverStarted_ThatHoldsEvents_SaysToStartIt_AndLosesNothing()
    {
        await using EventBusHarness harness = EventBusHarness.Create();
        List<string> handled = [];
        harness.Bus.Subscribe("order.*", e => handled.Add(e.Type));
        await harness.WaitForIdleAsync();
        await harness.Bus.PublishAsync(EventEnvelope.Create("order.placed", timeProvider: harness.Time));

        // Bounded, so that a harness that waits for ever fails the test instead of hanging it.
        Func<Task> wait = () => harness.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await wait.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*never started*holds 1 published event(s)*harness.Bus.StartAsync()*EventBusHarness.StartAsync()*");
        await harness.Bus.StartAsync();
        await harness.WaitForIdleAsync();
        handled.Should().Equal("order.placed");
    }

    [Fact]
    public async Task UseEventBusHarness_SwapsTheRealBusInDependencyInjection()
    {
        await using EventBusHarness harness = EventBusHarness.Create();
        ServiceCollection services = new();
        services.AddEventBus();

        services.UseEventBusHarness(harness);
        await using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEventBus>().Should().BeSameAs(harness.Bus);
        provider.GetRequiredService<IEventPublisher>().Should().BeSameAs(harness.Bus);
        provider.GetRequiredService<IEventSubscriber>().Should().BeSameAs(harness.Bus);
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(harness.Time);
        provider.GetRequiredService<EventBusHarness>().Should().BeSameAs(harness);
    }
}
