using EventBus;
using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OrderService.Tests;

/// <summary>How a user tests event-driven code: the fake for a unit, the harness for the flow through handlers.</summary>
public sealed class OrdersTests
{
    [Fact]
    public async Task PlaceAsync_PublishesOrderPlacedForTheOrdersWorkflow()
    {
        InMemoryEventPublisher publisher = new();
        Orders orders = new(publisher);

        Guid id = await orders.PlaceAsync("order-7", 25m);

        publisher.ExpectPublished("order.placed").ForWorkflow("order-7").Once();
        publisher.Published.All.Single().Id.Should().Be(id);
        publisher.Published.Payloads<OrderPlaced>().Should().Equal(new OrderPlaced("order-7", 25m));
    }

    [Fact]
    public async Task PlacedOrder_IsShipped_ThroughTheRealBus()
    {
        await using EventBusHarness harness = EventBusHarness.Create();
        await using ServiceProvider provider = new ServiceCollection().AddOrderService().UseEventBusHarness(harness).BuildServiceProvider();
        Orders orders = provider.GetRequiredService<Orders>();
        await provider.GetRequiredService<IEventBus>().StartAsync();

        await orders.PlaceAsync("order-8", 40m);
        await harness.WaitForIdleAsync();

        harness.ExpectPublished("order.shipped").ForWorkflow("order-8").Once().After("order.placed");
        harness.Published.OfType("order.shipped").Single().CausationId.Should().Be(harness.Published.OfType("order.placed").Single().Id);
        harness.ExpectNoFailures();
    }

    [Fact]
    public async Task UnpaidOrder_IsNotShipped_AndTheFailureIsRecorded()
    {
        await using EventBusHarness harness = EventBusHarness.Create();
        await using ServiceProvider provider = new ServiceCollection().AddOrderService().UseEventBusHarness(harness).BuildServiceProvider();
        await provider.GetRequiredService<IEventBus>().StartAsync();

        await provider.GetRequiredService<Orders>().PlaceAsync("order-9", 0m);
        await harness.WaitForIdleAsync();

        harness.ExpectPublished("order.shipped").Never();
        harness.Failures.Should().ContainSingle().Which.Exception.Should().BeOfType<ArgumentException>()
            .Which.Message.Should().Contain("only paid orders ship");
    }
}
