using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBus.Sqlite.Tests.Outbox;

/// <summary>A host with the bus, a SQLite store at a path, and an in-memory external publisher bound to <c>order.#</c>.</summary>
internal sealed class OutboxApp : IAsyncDisposable
{
    private OutboxApp(IHost host, InMemoryExternalPublisher publisher)
    {
        Host = host;
        Publisher = publisher;
    }

    public IHost Host { get; }

    public InMemoryExternalPublisher Publisher { get; }

    public IEventBus Bus => Host.Services.GetRequiredService<IEventBus>();

    public ExternalRelayStatistics Relay => Host.Services.GetRequiredService<ExternalRelays>()["memory"];

    public SqliteEventStore Store => (SqliteEventStore)Host.Services.GetRequiredService<IEventStore>();

    public static async Task<OutboxApp> StartAsync(string path, InMemoryExternalPublisher publisher, Action<EventStoreOptions>? levels = null, int batchSize = 1_000)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services
            .AddEventBus()
            .AddSqliteEventStore(path, configureLevels: levels)
            .AddExternalPublisher(_ => publisher, ["order.#"], o =>
            {
                o.BatchSize = batchSize;
                o.Retry = RetryPolicy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromMilliseconds(10), maxDelay: TimeSpan.FromMilliseconds(50));
            });
        IHost host = builder.Build();
        await host.StartAsync();
        return new OutboxApp(host, publisher);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
