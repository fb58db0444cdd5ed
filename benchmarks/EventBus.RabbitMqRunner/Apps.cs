using EventBus.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBus.RabbitMqRunner;

/// <summary>Builds the producer and consumer applications the scenarios run, as separate hosts on one broker.</summary>
internal static class Apps
{
    public const string Type = "bench.event";

    /// <summary>Set by <c>--classic</c>: classic queues without a delivery limit, instead of quorum queues.</summary>
    public static bool Classic { get; set; }

    /// <summary>Gets the arguments of the queues the runner declares itself, of the same type as the transport's.</summary>
    public static Dictionary<string, object?> QueueArguments => new() { ["x-queue-type"] = Classic ? "classic" : "quorum" };

    /// <summary>Set by <c>--memory-outbox</c>: the producer keeps no store, so its outbox is in memory.</summary>
    public static bool MemoryOutbox { get; set; }

    /// <summary>Set by <c>--events-per-message N</c>: the producer packs up to N events into one message.</summary>
    public static int EventsPerMessage { get; set; } = 1;

    public static async Task<IHost> StartAsync(int port, Action<RabbitMqOptions> configure, Action<IEventBus>? subscribe = null, string? store = null, bool durableStore = false)
    {
        // No default configuration sources: their file watchers on the working directory would take CPU from the measured
        // path whenever the stores' files change beneath it.
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        IEventBusBuilder bus = builder.Services
            .AddEventBus(o => o.Capacity = 100_000)
            .AddEventTypes(c => c.Register(Type, "A benchmark event", "bench", typeof(BenchPayload)))
            .AddRabbitMq(o =>
            {
                o.HostName = "127.0.0.1";
                o.Port = port;
                o.Relay.OutboxCapacity = 1_000_000;
                o.DeliveryLimit = Classic ? 0 : o.DeliveryLimit;
                o.EventsPerMessage = EventsPerMessage;
                configure(o);
            });
        if (store is not null && (durableStore || !MemoryOutbox))
        {
            bus.AddSqliteEventStore(store);
        }

        IHost host = builder.Build();
        subscribe?.Invoke(host.Services.GetRequiredService<IEventBus>());
        await host.StartAsync();
        return host;
    }

    /// <summary>Starts a consumer application on queue and exchange <paramref name="name"/>; the task completes once <paramref name="count"/> events were handled.</summary>
    public static async Task<(IHost Host, Task All)> StartConsumerAsync(int port, string name, int count, Action<EventEnvelope>? onEvent = null)
    {
        TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int received = 0;
        IHost host = await StartAsync(port, o => { o.Exchange = name; o.QueueName = name; o.Receive.Add("#"); }, subscribe: bus => bus.Subscribe("#", e =>
        {
            onEvent?.Invoke(e);
            if (Interlocked.Increment(ref received) == count)
            {
                all.TrySetResult();
            }
        }));
        await host.Services.GetRequiredService<RabbitMqConsumer>().Ready;
        return (host, all.Task);
    }

    public static EventEnvelope Event(int sequence, string body) =>
        new EventBuilder(Type).WithWorkflow("key-" + (sequence % 1024)).WithData(new BenchPayload(sequence, body)).Build();
}
