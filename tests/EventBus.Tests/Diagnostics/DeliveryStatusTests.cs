using EventBus.Tests.Support;

namespace EventBus.Tests.Diagnostics;

public sealed class DeliveryStatusTests
{
    [Fact]
    public async Task TheStatus_ShowsEachSubscriptionsOutcome_WithRetryCounts()
    {
        WatchedTime time = new();
        await using IEventBus bus = await Buses.StartedAsync(o => o.DeliveryStatusCapacity = 10, time: time);
        bus.Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { SubscriberId = "ok" });
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), new SubscriptionOptions { SubscriberId = "broken", Retry = RetryPolicy.Fixed(3, TimeSpan.Zero) });
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("gone"), new SubscriptionOptions { SubscriberId = "no-dlq", DeadLetter = false });
        EventEnvelope published = Buses.Event("status.check", time: time);

        await bus.PublishAndWaitAsync(published).Within();

        EventDeliveryStatus status = bus.DeliveryStatus.Find(published.Id)!;
        status.EventType.Should().Be("status.check");
        status.State.Should().Be(DeliveryState.Published);
        status.PublishedAt.Should().Be(published.Timestamp);
        status.Subscriptions.Select(s => (s.SubscriberId, s.State, s.Attempts, s.LastError)).Should().BeEquivalentTo(new[]
        {
            ("ok", DeliveryState.Completed, 1, (string?)null),
            ("broken", DeliveryState.DeadLettered, 3, "down"),
            ("no-dlq", DeliveryState.Failed, 1, "gone"),
        });
    }

    [Fact]
    public async Task InFlightStates_AreVisible_AndOnlyTheMostRecentEventsAreKept()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => { o.DeliveryStatusCapacity = 2; o.WorkerCount = 1; });
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal started = new(1);
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            started.Hit();
            await release.Task;
        }, new SubscriptionOptions { SubscriberId = "slow" });
        Signal bystander = new(3);
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            bystander.Hit();
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { SubscriberId = "fast" });
        EventEnvelope[] events = [Buses.Event(key: "k"), Buses.Event(key: "k"), Buses.Event(key: "k")];

        foreach (EventEnvelope e in events)
        {
            await bus.PublishAsync(e);
        }

        await started.WaitAsync();
        await bystander.WaitAsync();
        IReadOnlyList<EventDeliveryStatus> recent = bus.DeliveryStatus.Recent();
        release.SetResult();
        await bus.WaitForIdleAsync().Within();

        bus.DeliveryStatus.Find(events[0].Id).Should().BeNull("only the two most recent events are kept");
        recent.Select(s => s.EventId).Should().Equal(events[2].Id, events[1].Id);
        recent.Should().OnlyContain(s => s.Subscriptions.Single(x => x.SubscriberId == "slow").State == DeliveryState.Queued, "they wait behind the first event");
        bus.DeliveryStatus.Recent(1).Single().Subscriptions.Should().OnlyContain(s => s.State == DeliveryState.Completed);
        bus.DeliveryStatus.IsEnabled.Should().BeTrue();
        bus.DeliveryStatus.Capacity.Should().Be(2);
    }

    [Fact]
    public async Task ConcurrentPublishers_LeaveTheLogFullToItsCapacity_AndNoFuller()
    {
        const int Capacity = 100;
        const int Publishers = 4;
        await using IEventBus bus = await Buses.StartedAsync(o => o.DeliveryStatusCapacity = Capacity);
        bus.Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask);
        EventEnvelope[][] events = [.. Enumerable.Range(0, Publishers).Select(p => Enumerable.Range(0, 500).Select(_ => Buses.Event("status.many")).ToArray())];

        await Task.WhenAll(events.Select(batch => Task.Run(async () =>
        {
            foreach (EventEnvelope envelope in batch)
            {
                await bus.PublishAndWaitAsync(envelope);
            }
        }))).Within();

        EventEnvelope last = Buses.Event("status.many");
        await bus.PublishAndWaitAsync(last).Within();

        int kept = events.SelectMany(batch => batch).Append(last).Count(e => bus.DeliveryStatus.Find(e.Id) is not null);
        kept.Should().BeInRange(Capacity - Publishers, Capacity, "each publisher evicts down to the capacity, and two may evict at once");
        bus.DeliveryStatus.Find(last.Id).Should().NotBeNull("the newest event is kept");
    }

    [Fact]
    public async Task DropsByTheBus_AreVisible()
    {
        await using IEventBus bus = Buses.Create(o => { o.DeliveryStatusCapacity = 10; o.Capacity = 1; o.FullMode = BusFullMode.DropWrite; });
        EventEnvelope kept = Buses.Event();
        EventEnvelope dropped = Buses.Event();

        bus.TryPublish(kept).Should().BeTrue();
        bus.TryPublish(dropped).Should().BeFalse();

        bus.DeliveryStatus.Find(dropped.Id)!.State.Should().Be(DeliveryState.Dropped);
    }

    [Fact]
    public async Task ByDefault_NoStatusIsKept()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        EventEnvelope published = Buses.Event();

        await bus.PublishAndWaitAsync(published).Within();

        bus.DeliveryStatus.IsEnabled.Should().BeFalse();
        bus.DeliveryStatus.Capacity.Should().Be(0);
        bus.DeliveryStatus.Find(published.Id).Should().BeNull();
        bus.DeliveryStatus.Recent().Should().BeEmpty();
    }
}
