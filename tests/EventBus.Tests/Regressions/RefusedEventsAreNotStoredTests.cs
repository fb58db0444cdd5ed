using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// The bus wrote an event to its store before deciding whether to accept it, so events refused in reject mode, dropped
/// on arrival, or refused while stopping stayed in the store, and replay or workflow recovery would bring back events
/// whose publisher had been told "refused". The bus now makes room first, stores, and only then hands the event on.
/// </summary>
public sealed class RefusedEventsAreNotStoredTests
{
    [Theory]
    [InlineData(BusFullMode.Reject)]
    [InlineData(BusFullMode.DropWrite)]
    public async Task EventsRefusedOrDroppedOnArrival_AreNotInTheStore(BusFullMode mode)
    {
        InMemoryEventStore store = new();
        IEventBus bus = EventBusFactory.Create(o => { o.Capacity = 2; o.FullMode = mode; o.WorkerCount = 1; }, store: store);

        // Not started: accepted events wait in the bus, so the third publish finds it full.
        List<Guid> accepted = [];
        int refused = 0;
        for (int i = 0; i < 6; i++)
        {
            EventEnvelope envelope = Buses.Event(key: "k");
            bool ok = mode == BusFullMode.Reject
                ? await PublishOrRejectAsync(bus, envelope)
                : bus.TryPublish(envelope);
            if (ok)
            {
                accepted.Add(envelope.Id);
            }
            else
            {
                refused++;
            }
        }

        await store.FlushAsync();
        refused.Should().Be(4);
        (await store.CountAsync()).Should().Be(accepted.Count, "only accepted events may be stored");
        await bus.StartAsync();
        await bus.DisposeAsync();
    }

    [Fact]
    public async Task APublishThatIsStoringWhenTheBusStops_IsEitherAcceptedAndHandled_OrNotStored()
    {
        GatedEventStore store = new();
        IEventBus bus = EventBusFactory.Create(o => o.WorkerCount = 1, store: store, storeOptions: new EventStoreOptions { DefaultLevel = PersistenceLevel.Critical });
        await bus.StartAsync();
        Signal handled = new(1);
        bus.Subscribe(EventFilter.All, _ => handled.Hit());
        EventEnvelope envelope = Buses.Event();

        Task publish = bus.PublishAsync(envelope).AsTask();
        await store.Entered.WaitAsync();
        Task<DrainReport> stopping = bus.StopAsync();
        store.Open();
        Exception? refusal = await Record.ExceptionAsync(() => publish.Within());
        await stopping.Within();

        bool stored = await store.Inner.GetAsync(envelope.Id) is not null;
        if (refusal is null)
        {
            stored.Should().BeTrue();
            handled.Count.Should().Be(1, "an accepted event is handled before the stop completes");
        }
        else
        {
            refusal.Should().BeOfType<EventBusStoppedException>();
            stored.Should().BeFalse("the publisher was told the event was refused");
        }
    }

    private static async Task<bool> PublishOrRejectAsync(IEventBus bus, EventEnvelope envelope)
    {
        try
        {
            await bus.PublishAsync(envelope);
            return true;
        }
        catch (EventBusFullException)
        {
            return false;
        }
    }
}
