using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>Starts a host with the bus, a PostgreSQL store in <c>schema</c>, and <c>publisher</c> bound to <c>order.#</c>.</summary>
internal static class OutboxHost
{
    public static async Task<IHost> StartAsync(string connectionString, string schema, InMemoryExternalPublisher publisher)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddEventBus()
            .AddPostgreSqlEventStore(connectionString, o => o.Schema = schema)
            .AddExternalPublisher(_ => publisher, ["order.#"]);
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
