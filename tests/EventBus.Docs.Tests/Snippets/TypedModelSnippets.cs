using EventBus.Docs.Tests.Snippets.Typed;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's typed model, run.</summary>
public sealed class TypedModelSnippets
{
    [Fact]
    public async Task TypedEvents_GeneratedHandlers_Middleware_AndATypedQuery()
    {
        ServiceCollection services = new();
        services.AddLogging();

        // begin-snippet: typed-registration
        services.AddEventBus()
            .AddEventHandlers()                  // generated at compile time: every handler class of this assembly
            .AddHandlingLog()                    // middleware, in this order, around every handler
            .AddEventMiddleware<SkipTestTraffic>();
        // end-snippet

        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        QueryClient queries = provider.GetRequiredService<QueryClient>();
        await bus.StartAsync();
        TaskCompletionSource<EventEnvelope> mail = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(EventFilter.Payload<MailQueued>(), e => mail.TrySetResult(e));

        // begin-snippet: typed-usage
        await bus.PublishAsync(new OrderShipped(42, "DHL"), e => e.WithWorkflow("order-42"));
        PublishReport report = await bus.PublishAndWaitAsync(new OrderShipped(43, "UPS"));
        int level = await queries.SendAsync(new StockLevel("sku-1"));       // typed answer, or QueryFailedException
        // end-snippet

        PublishReport skipped = await bus.PublishAndWaitAsync(new OrderShipped(44, "DHL"), e => e.WithMetadata("test-traffic", "yes"));
        report.Succeeded.Should().BeTrue();
        skipped.Succeeded.Should().BeTrue();
        level.Should().Be(5);
        EventEnvelope queued = await mail.Task.WaitAsync(TimeSpan.FromSeconds(30));
        queued.Type.Should().Be("mail.queued");
        queued.CausationId.Should().NotBeNull();
        bus.Subscriptions.Select(s => s.SubscriberId).Should().Contain(["ShipmentMailer", "StockDesk"]);
    }

    [Fact]
    public async Task PayloadContracts_FromASourceGeneratedContext_StoreAndReadBack()
    {
        string dataFolder = Directory.CreateTempSubdirectory("eventbus-docs-").FullName;
        try
        {
            ServiceCollection services = new();
            services.AddLogging();

            // begin-snippet: typed-json-registration
            services.AddEventBus()
                .AddEventTypes(c => c.AddJsonTypeInfoResolver(ShopJsonContext.Default))   // contracts for stores and transports
                .AddEventHandlers()
                .AddSqliteEventStore(Path.Combine(dataFolder, "events.db"));
            // end-snippet

            await using ServiceProvider provider = services.BuildServiceProvider();
            IEventBus bus = provider.GetRequiredService<IEventBus>();
            IEventStore store = provider.GetRequiredService<IEventStore>();
            await bus.StartAsync();
            PublishReport report = await bus.PublishAndWaitAsync(new OrderShipped(7, "DHL"));
            await store.FlushAsync();

            EventEnvelope stored = (await store.GetAsync(report.EventId))!;
            stored.GetData<OrderShipped>().Should().Be(new OrderShipped(7, "DHL"));
            provider.GetRequiredService<EventCatalog>().GetJsonTypeInfo(typeof(OrderShipped)).OriginatingResolver.Should().BeSameAs(ShopJsonContext.Default);
            await bus.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataFolder, recursive: true);
        }
    }
}
