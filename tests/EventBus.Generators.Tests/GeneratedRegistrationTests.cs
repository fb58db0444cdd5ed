using EventBus.Generators.Tests.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Generators.Tests;

/// <summary>The generated AddEventHandlers() of this test assembly, at run time: every handler class registered with its attribute's settings.</summary>
public sealed class GeneratedRegistrationTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryHandlerClass_IsRegistered_AndReceivesItsEvents()
    {
        (ServiceProvider provider, IEventBus bus, Journal journal) = await StartAsync();
        await using ServiceProvider scope = provider;

        await bus.PublishAndWaitAsync(new OrderPlaced(1)).AsTask().WaitAsync(Hang);
        await bus.PublishAndWaitAsync(new OrderRefunded(2)).AsTask().WaitAsync(Hang);

        journal.Lines.Should().BeEquivalentTo("confirmation 1 by ConfirmationHandler", "audit order.placed 1", "audit order.refunded 2", "refund-log order.refunded");
        bus.Subscriptions.Select(s => s.SubscriberId).Should().Contain(["ConfirmationHandler", "ShopAudit", "refund-log", "flaky", "RendezvousHandler", "OrderTotalHandler"]);
    }

    [Fact]
    public async Task TheAssemblysAttributedPayloadTypes_AreInTheCatalogue()
    {
        (ServiceProvider provider, _, _) = await StartAsync();
        await using ServiceProvider scope = provider;

        EventCatalog catalog = provider.GetRequiredService<EventCatalog>();

        catalog.TryGet("order.refunded", out EventTypeDescriptor? refunded).Should().BeTrue("no handler takes OrderRefunded itself, but its type is declared here with [EventType]");
        refunded!.PayloadType.Should().Be<OrderRefunded>();
        catalog.Contains("order.placed").Should().BeTrue("a typed handler's payload type is registered too");
    }

    [Fact]
    public async Task AQueryHandler_IsRegistered_AndItsQueryIsInTheCatalogueAsAQuery()
    {
        (ServiceProvider provider, _, _) = await StartAsync();
        await using ServiceProvider scope = provider;

        decimal total = await provider.GetRequiredService<QueryClient>().SendAsync(new OrderTotal(2)).AsTask().WaitAsync(Hang);

        total.Should().Be(21m);
        provider.GetRequiredService<EventCatalog>().TryGet("order.total", out EventTypeDescriptor? descriptor).Should().BeTrue();
        descriptor!.Kind.Should().Be(EventKind.Query, "the query handler's registration makes the [EventType] type a query");
    }

    [Fact]
    public async Task TheAttributesRetryPolicy_IsTheSubscriptions()
    {
        (ServiceProvider provider, IEventBus bus, Journal journal) = await StartAsync();
        await using ServiceProvider scope = provider;

        PublishReport report = await bus.PublishAndWaitAsync(new Flaky(Failures: 2)).AsTask().WaitAsync(Hang);

        report.Succeeded.Should().BeTrue("three attempts are allowed and two fail");
        journal.Lines.Should().Equal("flaky attempt 1", "flaky attempt 2", "flaky attempt 3");
    }

    [Fact]
    public async Task ConfigureHandler_ChangesWhatTheAttributeSet()
    {
        (ServiceProvider provider, IEventBus bus, Journal journal) = await StartAsync(builder => builder.ConfigureHandler<FlakyHandler>(o => o.Retry = RetryPolicy.Fixed(1, TimeSpan.Zero)));
        await using ServiceProvider scope = provider;

        PublishReport report = await bus.PublishAndWaitAsync(new Flaky(Failures: 1)).AsTask().WaitAsync(Hang);

        report.Succeeded.Should().BeFalse("the code allows one attempt only");
        journal.Lines.Should().Equal("flaky attempt 1");
        bus.Subscriptions.Should().Contain(s => s.SubscriberId == "flaky", "the attribute's subscriber id stays");
    }

    [Fact]
    public async Task TheAttributesConcurrency_LetsTwoEventsBeHandledAtOnce()
    {
        (ServiceProvider provider, IEventBus bus, Journal journal) = await StartAsync();
        await using ServiceProvider scope = provider;

        // Events of one ordering key are handled one at a time whatever the concurrency, and keys are spread over the two
        // lanes by a hash that changes from process to process: with 40 keys, the chance that all share one lane is 2^-39.
        for (int key = 1; key <= 40; key++)
        {
            await bus.PublishAsync(new Rendezvous(key), e => e.WithWorkflow($"order-{key}"));
        }

        await journal.BothInside.Task.WaitAsync(Hang);
        await bus.WaitForIdleAsync().WaitAsync(Hang);
        journal.Lines.Should().HaveCount(40, "the first handling waited until a second one was inside, which one lane can not do");
    }

    [Fact]
    public void RegisteringAGeneratedHandlerAgainByCode_IsRefused_PointingAtConfigureHandler()
    {
        IEventBusBuilder builder = new ServiceCollection().AddEventBus().AddEventHandlers();

        builder.Invoking(b => b.AddPayloadHandler<ConfirmationHandler, OrderPlaced>(options: new SubscriptionOptions { SubscriberId = "ConfirmationHandler" }))
            .Should().Throw<InvalidOperationException>().WithMessage("*registered twice*AddEventHandlers()*ConfigureHandler<ConfirmationHandler>*");
    }

    [Fact]
    public async Task AnInvalidConfiguration_FailsWhenTheBusIsBuilt_NamingTheHandler()
    {
        ServiceCollection services = new();
        services.AddSingleton<Journal>();
        services.AddEventBus().AddEventHandlers().ConfigureHandler<FlakyHandler>(o => o.Concurrency = 0);
        await using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IEventBus>()).Should().Throw<ArgumentException>().WithMessage("*Concurrency*FlakyHandler*");
    }

    private static async Task<(ServiceProvider Provider, IEventBus Bus, Journal Journal)> StartAsync(Action<IEventBusBuilder>? configure = null)
    {
        ServiceCollection services = new();
        services.AddSingleton<Journal>();
        IEventBusBuilder builder = services.AddEventBus().AddEventHandlers();
        configure?.Invoke(builder);
        ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();
        return (provider, bus, provider.GetRequiredService<Journal>());
    }
}
