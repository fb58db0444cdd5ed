using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Storage;

public sealed class PersistenceTests
{
    private readonly InMemoryEventStore _store = new();

    [Fact]
    public async Task EventsAreStoredByLevel_FromTheirOwnSetting_ARuleForTheirType_OrTheDefault()
    {
        EventStoreOptions levels = new EventStoreOptions().Persist("metrics.#", PersistenceLevel.Temporary).Persist("audit.#", PersistenceLevel.Critical);
        await using IEventBus bus = await StartedAsync(levels);
        EventEnvelope standard = Buses.Event("order.placed");
        EventEnvelope metric = Buses.Event("metrics.cpu");
        EventEnvelope forced = new EventBuilder("metrics.cpu").WithPersistence(PersistenceLevel.Standard).Build();
        EventEnvelope audit = Buses.Event("audit.login");

        await bus.PublishAsync(standard);
        await bus.PublishAsync(metric);
        await bus.PublishAndWaitAsync(forced).Within();
        await bus.PublishBatchAsync([audit, Buses.Event("metrics.mem")]);

        (await StoredIds()).Should().BeEquivalentTo([standard.Id, forced.Id, audit.Id]);
        levels.LevelOf(audit).Should().Be(PersistenceLevel.Critical);
        levels.LevelOf(metric).Should().Be(PersistenceLevel.Temporary);
    }

    [Fact]
    public async Task TryPublish_StoresStandardEvents_AndRefusesCriticalOnes()
    {
        await using IEventBus bus = await StartedAsync(new EventStoreOptions { DefaultLevel = PersistenceLevel.Critical });
        EventEnvelope critical = Buses.Event("audit.login");
        EventEnvelope standard = new EventBuilder("audit.view").WithPersistence(PersistenceLevel.Standard).Build();

        Action tryCritical = () => bus.TryPublish(critical);

        tryCritical.Should().Throw<InvalidOperationException>().WithMessage("*'audit.login'*critical*PublishAsync*");
        bus.TryPublish(standard).Should().BeTrue();
        (await StoredIds()).Should().Equal(standard.Id);
        await bus.WaitForIdleAsync().Within();
        bus.GetStatistics().Published.Should().Be(1, "the refused critical event was not accepted");
    }

    [Fact]
    public async Task AddEventStore_StoresInMemoryByDefault_AndRegistersAReplayer()
    {
        ServiceCollection services = new();
        services.AddEventBus(o => o.WorkerCount = 1).AddEventStore(levels => levels.Persist("noise.#", PersistenceLevel.Temporary));
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();
        EventEnvelope kept = Buses.Event("order.placed");

        await bus.PublishAsync(kept);
        await bus.PublishAsync(Buses.Event("noise.tick"));

        IEventStore store = provider.GetRequiredService<IEventStore>();
        store.Should().BeOfType<InMemoryEventStore>();
        (await store.QueryAsync(new EventQuery())).Events.Select(e => e.Id).Should().Equal(kept.Id);
        provider.GetRequiredService<EventReplayer>().Should().NotBeNull();
        await bus.StopAsync();
    }

    [Fact]
    public void BadLevels_AreRefused()
    {
        Action rule = () => new EventStoreOptions().Persist("a.b", (PersistenceLevel)7);
        Action own = () => new EventBuilder("a.b").WithPersistence((PersistenceLevel)(-1));

        rule.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*7 is not defined*");
        own.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-1 is not defined*");
    }

    private async Task<IEventBus> StartedAsync(EventStoreOptions levels)
    {
        IEventBus bus = EventBusFactory.Create(o => o.WorkerCount = 2, store: _store, storeOptions: levels);
        await bus.StartAsync();
        return bus;
    }

    private async Task<IReadOnlyList<Guid>> StoredIds() => [.. (await _store.QueryAsync(new EventQuery())).Events.Select(e => e.Id)];
}
