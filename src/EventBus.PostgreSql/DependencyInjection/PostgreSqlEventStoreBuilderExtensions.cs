using EventBus;
using EventBus.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the bus's events in PostgreSQL.</summary>
public static class PostgreSqlEventStoreBuilderExtensions
{
    /// <summary>Stores published events in a <see cref="PostgreSqlEventStore"/> (see <c>AddEventStore</c> for levels).</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="connectionString">The database's Npgsql connection string.</param>
    /// <param name="configure">Adjusts the store's options, or null.</param>
    /// <param name="configureLevels">Sets the persistence levels, or null.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddPostgreSqlEventStore(
        this IEventBusBuilder builder,
        string connectionString,
        Action<PostgreSqlEventStoreOptions>? configure = null,
        Action<EventStoreOptions>? configureLevels = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddSingleton<IEventStore>(provider =>
        {
            PostgreSqlEventStoreOptions options = new()
            {
                ConnectionString = connectionString,
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
                Catalog = provider.GetService<EventCatalog>(),
                Logger = provider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("EventBus.PostgreSql") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            };
            configure?.Invoke(options);
            return new PostgreSqlEventStore(options);
        });
        return builder.AddEventStore(configureLevels);
    }
}
