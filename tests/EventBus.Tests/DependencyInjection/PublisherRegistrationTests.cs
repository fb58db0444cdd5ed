using EventBus.Testing;
using EventBus.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventBus.Tests.DependencyInjection;

public sealed class PublisherRegistrationTests
{
    [Fact]
    public async Task AddEventBus_RegistersTheTypedPublishers_WithTheSourceFromOptions()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 2)
            .ConfigurePublishers(o => o.Source = "billing")
            .AddOperationPublisher("reducer", "aggregation");
        using IHost host = builder.Build();
        await host.StartAsync();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        List<EventEnvelope> seen = [];
        Signal received = new(4);
        bus.Subscribe(EventFilter.All, (e, _) =>
        {
            lock (seen)
            {
                seen.Add(e);
            }

            received.Hit();
            return ValueTask.CompletedTask;
        });

        await host.Services.GetRequiredService<WorkflowEventPublisher>().PublishWorkflowAsync("wf-1", WorkflowEventType.Started);
        await host.Services.GetRequiredService<MessagePublisher>().PublishCommandAsync("invoice.send");
        OperationEventPublisher reducer = host.Services.GetRequiredKeyedService<OperationEventPublisher>("reducer");
        await using (OperationScope scope = await reducer.BeginAsync("aggregation"))
        {
            scope.Complete();
        }

        await received.WaitAsync();
        seen.Select(e => e.Source).Should().AllBe("billing");
        seen.Select(e => e.Type).Should().BeEquivalentTo("workflow.started", "invoice.send", "reducer.aggregation.started", "reducer.aggregation.completed");
        host.Services.GetRequiredService<EventCatalog>().Contains("reducer.aggregation.completed").Should().BeTrue();
        reducer.NodeType.Should().Be("reducer");
        await host.StopAsync();
    }

    [Fact]
    public async Task StrictCatalog_FromConfiguration_UsesTheRegisteredTypes()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:StrictCatalog"] = "true",
            ["EventBus:Publishers:Source"] = "from-config",
            ["EventBus:Publishers:BestEffort"] = "true",
        }).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(configuration.GetSection("EventBus"))
            .AddEventTypes(catalog => catalog.Register("invoice.sent", "An invoice was sent", "billing"));
        using IHost host = builder.Build();
        await host.StartAsync();
        MessagePublisher messages = host.Services.GetRequiredService<MessagePublisher>();

        PublishResult sent = await messages.PublishNotificationAsync("invoice.sent");
        Func<Task> unknown = () => messages.PublishNotificationAsync("invoice.lost").AsTask();

        sent.Event.Source.Should().Be("from-config");
        sent.Accepted.Should().BeTrue();
        (await unknown.Should().ThrowAsync<EventSchemaException>("a schema violation is bad input, never degraded")).Which.EventType.Should().Be("invoice.lost");
        await host.StopAsync();
    }

    [Fact]
    public async Task QueryClient_FromDI_AnswersThroughTheBus()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 2);
        using IHost host = builder.Build();
        await host.StartAsync();
        QueryClient queries = host.Services.GetRequiredService<QueryClient>();
        queries.Respond("clock.now", (_, _) => ValueTask.FromResult<object?>("noon"));

        string answer = await queries.SendAsync<string>("clock.now").Within();

        answer.Should().Be("noon");
        await host.StopAsync();
    }

    [Fact]
    public async Task WithTheInMemoryPublisher_TheHelpersRecordInsteadOfPublishing()
    {
        ServiceCollection services = new();
        services.AddEventBus();
        services.UseInMemoryEventPublisher();
        await using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<MessagePublisher>().PublishNotificationAsync("invoice.sent");

        provider.GetRequiredService<InMemoryEventPublisher>().ExpectPublished("invoice.sent").Once();
    }
}
