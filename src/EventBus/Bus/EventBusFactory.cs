using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventBus;

/// <summary>Creates buses outside dependency injection, for console tools and tests.</summary>
public static class EventBusFactory
{
    /// <summary>Creates a bus. It holds published events until <see cref="IEventBus.StartAsync"/> is called.</summary>
    /// <param name="configure">Adjusts the default options, or null.</param>
    /// <param name="loggerFactory">The logger factory, or null for no logging.</param>
    /// <param name="timeProvider">The clock, or null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="catalog">The event catalogue checked in <see cref="EventBusOptions.StrictCatalog"/> mode, or null for one with the standard events.</param>
    /// <param name="store">The store the bus writes published events to, by persistence level; null for none.</param>
    /// <param name="storeOptions">The persistence levels per type, or null for the defaults (everything standard).</param>
    /// <returns>The bus.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static IEventBus Create(
        Action<EventBusOptions>? configure = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        EventCatalog? catalog = null,
        IEventStore? store = null,
        EventStoreOptions? storeOptions = null)
    {
        EventBusOptions options = new();
        configure?.Invoke(options);
        return CreateBus(options, loggerFactory, timeProvider, catalog, meterFactory: null, store, storeOptions);
    }

    internal static ChannelEventBus CreateBus(
        EventBusOptions options,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        EventCatalog? catalog = null,
        IMeterFactory? meterFactory = null,
        IEventStore? store = null,
        EventStoreOptions? storeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid event bus options: " + string.Join(" ", errors), nameof(options));
        }

        return new ChannelEventBus(
            options.Clone(),
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EventBus"),
            timeProvider ?? TimeProvider.System,
            catalog,
            meterFactory,
            store,
            storeOptions);
    }
}
