using EventBus;
using EventBus.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Stores published events in a <see cref="SqliteEventStore"/> whose settings are bound from
    /// <paramref name="configuration"/> (for example the "EventBus:Store" section: <c>Path</c>, <c>BatchSize</c>,
    /// <c>WriteQueueCapacity</c>, <c>IndexCorrelationId</c>, <c>SyncEveryCommit</c>) and validated when the host starts.
    /// Adjust them further with <c>services.Configure&lt;SqliteEventStoreOptions&gt;(...)</c>.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="configuration">The configuration section holding the store's settings.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddSqliteEventStore(this IEventBusBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<SqliteEventStoreOptions>()
            .Configure<IServiceProvider>((options, provider) =>
            {
                options.TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System;
                options.Catalog = provider.GetService<EventCatalog>();
                options.Bind(configuration);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteEventStoreOptions>, SqliteEventStoreOptionsValidator>());
        builder.Services.AddSingleton<IEventStore>(provider => new SqliteEventStore(
            provider.GetRequiredService<IOptions<SqliteEventStoreOptions>>().Value,
            provider.GetService<ILogger<SqliteEventStore>>()));
        return builder.AddEventStore();
    }
}
