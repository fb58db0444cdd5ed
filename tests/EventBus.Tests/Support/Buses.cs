using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Support;

/// <summary>Builds buses for tests, with a fake logger whose records the tests can assert on.</summary>
internal static class Buses
{
    public static IEventBus Create(Action<EventBusOptions>? configure = null, FakeLogCollector? logs = null, TimeProvider? time = null)
    {
        ILoggerFactory? loggerFactory = logs is null ? null : new FakeLoggerProviderFactory(logs);
        return EventBusFactory.Create(configure, loggerFactory, time);
    }

    public static async Task<IEventBus> StartedAsync(Action<EventBusOptions>? configure = null, FakeLogCollector? logs = null, TimeProvider? time = null)
    {
        IEventBus bus = Create(configure, logs, time);
        await bus.StartAsync();
        return bus;
    }

    /// <summary>Builds a started bus that writes to <paramref name="store"/> (dead letters too, when it keeps them).</summary>
    public static async Task<IEventBus> StartedWithStoreAsync(IEventStore store, EventStoreOptions? storeOptions = null, Action<EventBusOptions>? configure = null, FakeLogCollector? logs = null)
    {
        ILoggerFactory? loggerFactory = logs is null ? null : new FakeLoggerProviderFactory(logs);
        IEventBus bus = EventBusFactory.Create(configure, loggerFactory, store: store, storeOptions: storeOptions);
        await bus.StartAsync();
        return bus;
    }

    public static EventEnvelope Event(string type = "test.happened", string? key = null, EventPriority priority = EventPriority.Normal, object? data = null, TimeProvider? time = null) =>
        new EventBuilder(type).WithWorkflow(key).WithPriority(priority).WithData(data).Build(time);

    public static FakeTimeProvider FakeTime() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private sealed class FakeLoggerProviderFactory(FakeLogCollector collector) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => new FakeLogger(collector, categoryName);

        public void Dispose()
        {
        }
    }
}
