using AotSample;
using EventBus;
using EventBus.PostgreSql;
using EventBus.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The library in a native executable: the host, typed events with generated handler registration, middleware, a filtered
// subscription, the workflow publisher, a typed query, the SQLite store (append, query, replay), health, the RabbitMQ
// wire format and the PostgreSQL store.
string dataFolder = Directory.CreateTempSubdirectory("eventbus-aot-").FullName;
try
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
    builder.Logging.ClearProviders();
    builder.Services.AddSingleton<Transcript>();
    builder.Services.AddEventBus(o => o.WorkerCount = 1)
        .AddEventTypes(c => c.AddJsonTypeInfoResolver(SampleJsonContext.Default))
        .AddEventHandlers()
        .AddEventMiddleware<Tracing>()
        .AddSqliteEventStore(Path.Combine(dataFolder, "events.db"));
    builder.Services.AddHealthChecks().AddEventBus();
    using IHost host = builder.Build();
    await host.StartAsync();

    IEventBus bus = host.Services.GetRequiredService<IEventBus>();
    Transcript transcript = host.Services.GetRequiredService<Transcript>();
    bus.Subscribe(EventFilter.Pattern("workflow.*").And(EventFilter.Workflow("order-1")), e => transcript.Write($"filtered: {e.Type} of {e.WorkflowId}"));

    PublishReport report = await bus.PublishAndWaitAsync(new OrderPlaced("order-1", 100m), e => e.WithWorkflow("order-1"));
    await bus.WaitForIdleAsync();
    transcript.Write($"order.placed handled: {report.Succeeded}");
    await host.Services.GetRequiredService<WorkflowEventPublisher>().PublishWorkflowAsync("order-1", WorkflowEventType.Completed);
    await bus.WaitForIdleAsync();

    decimal taxed = await host.Services.GetRequiredService<QueryClient>().SendAsync(new TaxedAmount(100m));
    transcript.Write($"taxed amount: {taxed}");

    IEventStore store = host.Services.GetRequiredService<IEventStore>();
    await store.FlushAsync();
    EventPage page = await store.QueryAsync(new EventQuery { WorkflowId = "order-1" });
    transcript.Write($"stored for order-1: {string.Join(", ", page.Events.Select(e => e.Type))}");
    OrderPlaced? stored = page.Events.Select(e => e.Data).OfType<OrderPlaced>().SingleOrDefault();
    transcript.Write($"read back: {stored}");

    int replayed = 0;
    ISubscription audit = bus.Subscribe(EventFilter.Type("order.placed"), _ => Interlocked.Increment(ref replayed));
    ReplayResult replay = await host.Services.GetRequiredService<EventReplayer>().ReplayWorkflowAsync("order-1", options: new ReplayOptions { SubscriptionId = audit.Id });
    await bus.WaitForIdleAsync();
    transcript.Write($"replayed {replay.Replayed} to the audit subscription, which handled {Volatile.Read(ref replayed)} order.placed");

    HealthReport health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    transcript.Write($"health: {health.Status}");
    await host.StopAsync();

    // The RabbitMQ wire format and the PostgreSQL store without a broker or a server: a CloudEvent written and read
    // back through the catalogue's contracts, and a store that connects on first use.
    EventCatalog catalog = host.Services.GetRequiredService<EventCatalog>();
    CloudEventJsonFormat wire = new(catalog);
    EventEnvelope sent = new EventBuilder("order.placed").WithWorkflow("order-2").WithData(new OrderPlaced("order-2", 50m)).Build();
    transcript.Write($"CloudEvent read back: {wire.Decode(wire.Encode(sent)).GetData<OrderPlaced>()}");
    await using PostgreSqlEventStore postgres = new(new PostgreSqlEventStoreOptions { ConnectionString = "Host=db.internal;Database=orders;Username=app", Catalog = catalog });
    transcript.Write($"store: {postgres}");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dataFolder, recursive: true);
}
