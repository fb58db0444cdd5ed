using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's Usage section, run.</summary>
public sealed class UsageSnippets
{
    [Fact]
    public async Task Registration_RunsTheBusAsAHostedService_WithHandlerTypes()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        int seenBefore = AuditTrail.Seen;
        // begin-snippet: registration
        builder.Services
            .AddEventBus(options => options.Capacity = 50_000)   // or .AddEventBus(builder.Configuration.GetSection("EventBus"))
            .AddEventHandler<AuditTrail>("#");                    // resolved in a fresh DI scope for every event
        // end-snippet
        using IHost host = builder.Build();
        await host.StartAsync();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();

        await bus.PublishAndWaitAsync(EventEnvelope.Create("audit.me"));

        AuditTrail.Seen.Should().BeGreaterThan(seenBefore);
        await host.StopAsync();
    }

    [Fact]
    public async Task Usage_SubscribesPublishesChainsCausationAndWaits()
    {
        await using IEventBus bus = EventBusFactory.Create();
        await bus.StartAsync();
        ConcurrentQueue<int> shipped = [];
        ValueTask Ship(OrderPlaced order, CancellationToken cancellationToken)
        {
            shipped.Enqueue(order.OrderId);
            return ValueTask.CompletedTask;
        }

        // begin-snippet: usage
        ISubscription subscription = bus.Subscribe("workflow.*", e => Console.WriteLine(e.Type));
        bus.Subscribe<OrderPlaced>(EventFilter.Pattern("order.#"), async (e, order, ct) => await Ship(order, ct), options: null);

        EventEnvelope started = new EventBuilder("workflow.started")
            .WithWorkflow("order-42")                 // the ordering key
            .WithPriority(EventPriority.High)
            .WithData(new OrderPlaced(42))
            .Build(bus.TimeProvider);
        await bus.PublishAsync(started);

        // causation = started.Id, same workflow; correlation = started's, or started.Id when it has none (as here)
        EventEnvelope next = started.CreateCaused("phase.started");
        PublishReport report = await bus.PublishAndWaitAsync(next);    // waits for every matching handler
        subscription.Pause(); subscription.Resume(); await subscription.UnsubscribeAsync();
        // end-snippet

        next.CausationId.Should().Be(started.Id);
        next.CorrelationId.Should().Be(started.Id.ToString());
        next.WorkflowId.Should().Be("order-42");
        report.Succeeded.Should().BeTrue();
        bus.Subscriptions.Should().ContainSingle("the workflow subscription was removed");
        await bus.PublishAndWaitAsync(EventEnvelope.Create("order.placed", new OrderPlaced(7)));
        shipped.Should().Equal(7);
    }

    [Fact]
    public async Task Configuration_BindsTheBusAndItsPublishersSection()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Snippets", "appsettings.json")).Build();
        ServiceCollection services = new();

        services.AddEventBus(configuration.GetSection("EventBus"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        EventBusOptions options = provider.GetRequiredService<IOptions<EventBusOptions>>().Value;
        options.Capacity.Should().Be(50_000);
        options.WorkerCount.Should().Be(4);
        EventPublisherOptions publishers = provider.GetRequiredService<IOptions<EventPublisherOptions>>().Value;
        publishers.Source.Should().Be("billing");
        publishers.QueryTimeout.Should().Be(TimeSpan.FromSeconds(5));
    }
}
