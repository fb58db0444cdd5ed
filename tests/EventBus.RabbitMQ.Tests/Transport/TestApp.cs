using EventBus.RabbitMQ.Tests.Broker;
using EventBus.RabbitMQ.Tests.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>One application on the broker: a generic host with the bus and the RabbitMQ transport, as a process would have.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(IHost host) => Host = host;

    public IHost Host { get; }

    public IEventBus Bus => Host.Services.GetRequiredService<IEventBus>();

    public FakeLogCollector Logs => Host.Services.GetRequiredService<FakeLogCollector>();

    public static async Task<TestApp> StartAsync(RabbitMqNode node, Action<RabbitMqOptions> configure, Action<IEventBus>? subscribe = null, string? password = null, bool waitForConsumer = true, string? storePath = null, Action<EventBusOptions>? configureBus = null)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services
            .AddEventBus(o =>
            {
                o.WorkerCount = 2;
                configureBus?.Invoke(o);
            })
            .AddEventTypes(c => c
                .Register("order.placed", "An order was placed", "orders", typeof(OrderPlaced))
                .Register("order.paid", "An order was paid", "orders")
                .Register("stock.created", "Stock was created", "stock")
                .Register("stock.item.created", "A stock item was created", "stock"))
            .AddRabbitMq(o =>
            {
                o.Port = node.Port;
                o.HostName = "127.0.0.1";
                o.Password = password ?? "guest";
                configure(o);
            });
        if (storePath is not null)
        {
            builder.Services.AddEventBus().AddSqliteEventStore(storePath);
        }

        TestApp app = new(builder.Build());
        subscribe?.Invoke(app.Bus);
        await app.Host.StartAsync();
        if (waitForConsumer && app.Host.Services.GetService<RabbitMqConsumer>() is { } consumer)
        {
            await consumer.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }

        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();

        // Asynchronously: a SQLite store commits what is queued as it is disposed.
        await ((IAsyncDisposable)Host).DisposeAsync();
    }
}
