using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Storage;

/// <summary>Retention while the application runs: applied every interval on the bus's clock, a failed pass retried at the next one.</summary>
public sealed class EventStoreRetentionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EventsPastTheRetention_ArePruned_EveryInterval()
    {
        PruneSignallingStore store = new(new InMemoryEventStore(timeProvider: _time));
        await using ServiceProvider provider = Services(store, o => o.Retention = new EventRetention { MaxAge = TimeSpan.FromDays(30) });
        EventEnvelope old = new EventBuilder("order.placed").Build(_time);
        _time.Advance(TimeSpan.FromDays(40));
        EventEnvelope recent = new EventBuilder("order.placed").Build(_time);
        await store.AppendBatchAsync([old, recent]);
        IHostedService retention = Retention(provider);
        await retention.StartAsync(CancellationToken.None);

        // Two intervals at once: the first pass runs when its timer fires, and the second is due by then, so it follows
        // at once (passes are due at fixed times, and no timer is needed for one that is already due).
        _time.Advance(TimeSpan.FromHours(2));
        (await store.Prune(1)).MaxAge.Should().Be(TimeSpan.FromDays(30));
        await store.Prune(2);

        (await store.GetAsync(old.Id)).Should().BeNull();
        (await store.GetAsync(recent.Id)).Should().NotBeNull();
        await retention.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AFailedPass_IsLogged_AndTriedAgainAtTheNextInterval()
    {
        PruneSignallingStore store = new(new InMemoryEventStore(timeProvider: _time), failures: 1);
        FakeLogCollector logs = new();
        await using ServiceProvider provider = Services(store, o => o.Retention = new EventRetention { MaxCount = 0 }, logs);
        await store.AppendAsync(new EventBuilder("order.placed").Build(_time));
        IHostedService retention = Retention(provider);
        await retention.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(2));
        await store.Prune(1);
        await store.Prune(2);

        (await store.CountAsync()).Should().Be(0);
        logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Error && r.Message.Contains("retention failed", StringComparison.Ordinal));
        await retention.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WithoutARetention_NothingIsPruned()
    {
        PruneSignallingStore store = new(new InMemoryEventStore(timeProvider: _time));
        await using ServiceProvider provider = Services(store, _ => { });
        IHostedService retention = Retention(provider);
        await store.AppendAsync(new EventBuilder("order.placed").Build(_time));

        await retention.StartAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(400));
        await retention.StopAsync(CancellationToken.None);

        (await store.CountAsync()).Should().Be(1, "with no retention nothing is pruned");
    }

    [Fact]
    public async Task ANonPositiveInterval_IsRefused_NamingTheOption()
    {
        await using ServiceProvider provider = Services(new PruneSignallingStore(new InMemoryEventStore()), o => o.RetentionInterval = TimeSpan.Zero);

        Action read = () => _ = provider.GetRequiredService<IOptions<EventStoreOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*RetentionInterval must be positive*");
    }

    private ServiceProvider Services(IEventStore store, Action<EventStoreOptions> configure, FakeLogCollector? logs = null)
    {
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging(b => b.AddFakeLogging(o => { }).Services.AddSingleton(logs ?? new FakeLogCollector()));
        services.AddSingleton(store);
        services.AddEventBus().AddEventStore(configure);
        return services.BuildServiceProvider();
    }

    private static IHostedService Retention(IServiceProvider provider) =>
        provider.GetServices<IHostedService>().Single(s => s.GetType().Name == "EventStoreRetention");
}
