using EventBus;
using EventBus.Sqlite;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the bus's events in SQLite.</summary>
public static class SqliteEventStoreBuilderExtensions
{
    /// <summary>Stores published events in a <see cref="SqliteEventStore"/> at <paramref name="path"/> (see <c>AddEventStore</c> for levels).</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="path">The database file's path.</param>
    /// <param name="configure">Adjusts the store's options, or null.</param>
    /// <param name="configureLevels">Sets the persistence levels, or null.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddSqliteEventStore(
        this IEventBusBuilder builder,
        string path,
        Action<SqliteEventStoreOptions>? configure = null,
        Action<EventStoreOptions>? configureLevels = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.AddSingleton<IEventStore>(provider =>
        {
            SqliteEventStoreOptions options = new() { Path = path, TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System, Catalog = provider.GetService<EventCatalog>() };
            configure?.Invoke(options);
            return new SqliteEventStore(options, provider.GetService<ILogger<SqliteEventStore>>());
        });
        return builder.AddEventStore(configureLevels);
    }
}
