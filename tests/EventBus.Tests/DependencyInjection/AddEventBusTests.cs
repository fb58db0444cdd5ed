using System.Collections.Concurrent;
using EventBus.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.DependencyInjection;

public sealed class AddEventBusTests
{
    [Fact]
    public async Task AddEventBus_RegistersOneBusBehindEveryInterface_StartedAndStoppedByTheHost()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 2);
        using IHost host = builder.Build();

        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        host.Services.GetRequiredService<IEventPublisher>().Should().BeSameAs(bus);
        host.Services.GetRequiredService<IEventSubscriber>().Should().BeSameAs(bus);
        bus.State.Should().Be(EventBusState.Created);

        await host.StartAsync();
        bus.State.Should().Be(EventBusState.Running);
        await host.StopAsync();
        bus.State.Should().Be(EventBusState.Stopped);
    }

    [Fact]
    public async Task AddEventBus_InvalidOptions_FailHostStartWithEveryProblemInOneMessage()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o =>
        {
            o.Capacity = 0;
            o.WorkerCount = -1;
            o.FullMode = (BusFullMode)42;
            o.SubscriptionBufferCapacity = 0;
            o.SubscriptionFullMode = (SubscriptionFullMode)9;
            o.DrainTimeout = TimeSpan.FromSeconds(-1);
        });
        using IHost host = builder.Build();

        OptionsValidationException error = (await host.Invoking(h => h.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;

        error.Failures.Should().HaveCount(6);
        error.Message.Should().Contain("Capacity is 0").And.Contain("WorkerCount is -1").And.Contain("FullMode is 42")
            .And.Contain("SubscriptionBufferCapacity is 0").And.Contain("SubscriptionFullMode is 9").And.Contain("DrainTimeout");
    }

    [Fact]
    public void EventBusFactory_InvalidOptions_ThrowArgumentExceptionListingEveryProblem()
    {
        FluentActions.Invoking(() => EventBusFactory.Create(o => { o.Capacity = -5; o.WorkerCount = 0; }))
            .Should().Throw<ArgumentException>()
            .WithMessage("*Capacity is -5; it must be at least 1*WorkerCount is 0; it must be from 1 to 1024*")
            .And.ParamName.Should().Be("options");
    }

    [Fact]
    public void AddEventBus_BindsOptionsFromConfiguration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Capacity"] = "123",
            ["EventBus:FullMode"] = "DropOldest",
            ["EventBus:WorkerCount"] = "3",
            ["EventBus:DrainTimeout"] = "00:00:07",
            ["EventBus:SubscriptionFullMode"] = "Wait",
        }).Build();
        ServiceCollection services = new();

        services.AddEventBus(configuration.GetSection("EventBus"));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<EventBusOptions>>().Value.Should().BeEquivalentTo(new
        {
            Capacity = 123,
            FullMode = BusFullMode.DropOldest,
            WorkerCount = 3,
            DrainTimeout = TimeSpan.FromSeconds(7),
            SubscriptionFullMode = SubscriptionFullMode.Wait,
        });
    }

    [Fact]
    public void AddEventBus_BindsPublisherOptionsAndHealthThresholds_FromTheirSections()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Publishers:Source"] = "billing",
            ["EventBus:Publishers:QueryTimeout"] = "00:00:05",
            ["EventBus:Health:DegradedQueueRatio"] = "0.5",
            ["EventBus:Health:UnhealthyDeadLetters"] = "10",
            ["EventBus:Health:DegradedPendingAge"] = "00:00:10",
        }).Build();
        ServiceCollection services = new();

        services.AddEventBus(configuration.GetSection("EventBus"));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<EventPublisherOptions>>().Value.Should().BeEquivalentTo(new { Source = "billing", QueryTimeout = TimeSpan.FromSeconds(5) });
        provider.GetRequiredService<IOptions<EventBusHealthOptions>>().Value.Should().BeEquivalentTo(new
        {
            DegradedQueueRatio = 0.5,
            UnhealthyQueueRatio = 0.95,
            UnhealthyDeadLetters = 10,
            DegradedPendingAge = TimeSpan.FromSeconds(10),
        });
    }

    [Theory]
    [InlineData("Publishers:Source", " ", "EventPublisherOptions.Source is empty")]
    [InlineData("Publishers:MaxTrackedWorkflows", "0", "EventPublisherOptions.MaxTrackedWorkflows is 0")]
    [InlineData("Publishers:QueryTimeout", "-00:00:01", "EventPublisherOptions.QueryTimeout is -00:00:01")]
    [InlineData("Health:DegradedDeadLetters", "0", "EventBusHealthOptions.DegradedDeadLetters is 0")]
    [InlineData("Health:UnhealthyDeadLetters", "0", "EventBusHealthOptions.UnhealthyDeadLetters is 0")]
    public async Task AnInvalidValueFromConfiguration_StopsTheHost_NamingTheValue(string key, string value, string message)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EventBus:" + key] = value }).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(configuration.GetSection("EventBus"));
        using IHost host = builder.Build();

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().ContainSingle().Which.Should().Contain(message);
    }

    [Fact]
    public async Task AddEventBus_UsesTheRegisteredTimeProvider()
    {
        FakeTimeProvider time = Buses.FakeTime();
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(time);
        services.AddEventBus();
        await using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEventPublisher>().TimeProvider.Should().BeSameAs(time);
    }

    [Fact]
    public async Task AddEventHandler_ResolvesTheHandlerInAFreshScopePerEvent()
    {
        ServiceCollection services = new();
        ScopeLog log = new();
        services.AddSingleton(log);
        services.AddScoped<ScopedThing>();
        services.AddEventBus().AddEventHandler<RecordingHandler>("order.*");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();

        for (int i = 0; i < 3; i++)
        {
            (await bus.PublishAndWaitAsync(Buses.Event("order.placed")).Within()).Succeeded.Should().BeTrue();
        }

        log.ScopeIds.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        log.Disposed.Should().BeEquivalentTo(log.ScopeIds, "each event's scope is disposed once the handler returns");
        bus.Subscriptions.Should().ContainSingle().Which.SubscriberId.Should().Be(nameof(RecordingHandler));
    }

    [Fact]
    public async Task AddPayloadHandler_ReceivesTypedPayloads_AndSeesEventsHeldBeforeStart()
    {
        ServiceCollection services = new();
        ScopeLog log = new();
        services.AddSingleton(log);
        services.AddScoped<ScopedThing>();
        services.AddEventBus().AddPayloadHandler<AmountHandler, decimal>(EventFilter.Pattern("payment.*"), new SubscriptionOptions { SubscriberId = "payments" });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();

        await bus.PublishAsync(Buses.Event("payment.received", data: 12.5m));
        await bus.PublishAsync(Buses.Event("payment.received", data: "not an amount"));
        await bus.StartAsync();
        await bus.WaitForIdleAsync().Within();

        log.Amounts.Should().Equal(12.5m);
        bus.Subscriptions.Single().SubscriberId.Should().Be("payments");
    }

    [Fact]
    public void AddEventHandler_BadArguments_AreRejected()
    {
        IEventBusBuilder builder = new ServiceCollection().AddEventBus();

        builder.Invoking(b => b.AddEventHandler<RecordingHandler>((EventFilter)null!)).Should().Throw<ArgumentNullException>();
        builder.Invoking(b => b.AddEventHandler<RecordingHandler>("bad..pattern")).Should().Throw<ArgumentException>();
        builder.Invoking(b => b.AddEventHandler<RecordingHandler>(EventFilter.All, new SubscriptionOptions { Concurrency = -1 })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ((IServiceCollection)null!).AddEventBus()).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void AddEventBus_CalledTwice_RegistersOneBusAndOneHostedService()
    {
        ServiceCollection services = new();
        services.AddEventBus(o => o.Capacity = 10);
        services.AddEventBus(o => o.WorkerCount = 1);

        services.Count(d => d.ServiceType == typeof(IEventBus)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1);
        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<EventBusOptions>>().Value.Should().BeEquivalentTo(new { Capacity = 10, WorkerCount = 1 });
    }

    internal sealed class ScopeLog
    {
        public ConcurrentQueue<Guid> ScopeIds { get; } = new();

        public ConcurrentQueue<Guid> Disposed { get; } = new();

        public ConcurrentQueue<decimal> Amounts { get; } = new();
    }

    internal sealed class ScopedThing(ScopeLog log) : IDisposable
    {
        public Guid Id { get; } = Guid.NewGuid();

        public void Dispose() => log.Disposed.Enqueue(Id);
    }

    internal sealed class RecordingHandler(ScopedThing thing, ScopeLog log) : IEventHandler
    {
        public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            log.ScopeIds.Enqueue(thing.Id);
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class AmountHandler(ScopedThing thing, ScopeLog log) : IEventHandler<decimal>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, decimal payload, CancellationToken cancellationToken)
        {
            _ = thing.Id;
            log.Amounts.Enqueue(payload);
            return ValueTask.CompletedTask;
        }
    }
}
