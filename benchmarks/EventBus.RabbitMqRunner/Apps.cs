using EventBus.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBus.RabbitMqRunner;

/// <summary>Builds the producer and consumer applications the scenarios run, as separate hosts on one broker.</summary>
internal static class Apps
{
    public const string Type = "bench.event";

    public static async Task<IHost> StartAsync(int port, Action<RabbitMqOptions> configure, Action<IEventBus>? subscribe = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services
            .AddEventBus(o => o.Capacity = 100_000)
            .AddEventTypes(c => c.Register(Type, "A benchmark event", "bench", typeof(BenchPayload)))
            .AddRabbitMq(o =>
            {
                o.HostName = "127.0.0.1";
                o.Port = port;
                o.Relay.OutboxCapacity = 1_000_000;
                configure(o);
            });
        IHost host = builder.Build();
        subscribe?.Invoke(host.Services.GetRequiredService<IEventBus>());
        await host.StartAsync();
        return host;
    }

    public static EventEnvelope Event(int sequence, string body) =>
        new EventBuilder(Type).WithWorkflow("key-" + (sequence % 1024)).WithData(new BenchPayload(sequence, body)).Build();
}
