using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Handlers;

/// <summary>The context a handler takes from its scope: the handled event, and a publisher whose objects are its effects.</summary>
public sealed class HandlerContextTests
{
    [Fact]
    public async Task AnEventPublishedThroughTheContext_IsCausedByTheHandledOne()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddEventBus()
            .AddPayloadHandler<ReservingHandler, OrderPlaced>()
            .Services.BuildServiceProvider();
        IEventBus bus = await provider.StartedBusAsync();
        TaskCompletionSource<EventEnvelope> reserved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe("stock.reserved", e => reserved.TrySetResult(e));
        EventEnvelope placed = bus.CreateEvent(new OrderPlaced(5), e => e.WithWorkflow("order-5", "placing").WithCorrelation("corr-5"));

        await bus.PublishAsync(placed);
        EventEnvelope effect = await reserved.Task.Within();

        effect.CausationId.Should().Be(placed.Id);
        (effect.CorrelationId, effect.WorkflowId, effect.Phase).Should().Be(("corr-5", "order-5", "placing"));
        effect.GetData<StockReserved>()!.OrderId.Should().Be(5);
        effect.Metadata["handled-by"].Should().Be(nameof(ReservingHandler), "the context names the subscription");
    }

    [Fact]
    public async Task OutsideAHandling_TheContextSaysWhereItCanBeUsed()
    {
        await using ServiceProvider provider = new ServiceCollection().AddEventBus().Services.BuildServiceProvider();
        await using AsyncServiceScope scope = provider.CreateAsyncScope();
        IHandlerContext context = scope.ServiceProvider.GetRequiredService<IHandlerContext>();

        FluentActions.Invoking(() => context.Envelope).Should().Throw<InvalidOperationException>().WithMessage("*not handling*AddPayloadHandler*");
        FluentActions.Invoking(() => context.SubscriberId).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => context.Subscription).Should().Throw<InvalidOperationException>();
        context.Services.Should().BeSameAs(scope.ServiceProvider);
        context.TimeProvider.Should().BeSameAs(provider.GetRequiredService<IEventBus>().TimeProvider);
    }

    [Fact]
    public async Task TheContext_PublishesEnvelopesToTheBusUnchanged()
    {
        await using ServiceProvider provider = new ServiceCollection().AddEventBus().Services.BuildServiceProvider();
        IEventBus bus = await provider.StartedBusAsync();
        await using AsyncServiceScope scope = provider.CreateAsyncScope();
        IHandlerContext context = scope.ServiceProvider.GetRequiredService<IHandlerContext>();
        List<Guid> seen = [];
        bus.Subscribe("test.#", e =>
        {
            lock (seen)
            {
                seen.Add(e.Id);
            }
        });
        EventEnvelope[] events = [Buses.Event(), Buses.Event(), Buses.Event(), Buses.Event()];

        await context.PublishAsync(events[0]);
        context.TryPublish(events[1]).Should().BeTrue();
        (await context.PublishBatchAsync([events[2]])).Accepted.Should().Be(1);
        (await context.PublishAndWaitAsync(events[3])).Succeeded.Should().BeTrue();
        await bus.WaitForIdleAsync().Within();

        seen.Should().BeEquivalentTo(events.Select(e => e.Id));
    }

    public sealed record OrderPlaced(int OrderId);

    public sealed record StockReserved(int OrderId);

    internal sealed class ReservingHandler(IHandlerContext context) : IEventHandler<OrderPlaced>
    {
        public async ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken)
        {
            envelope.Should().BeSameAs(context.Envelope);
            context.Subscription.SubscriberId.Should().Be(context.SubscriberId);
            context.Subscription.State.Should().Be(SubscriptionState.Active);
            await context.PublishAsync(new StockReserved(payload.OrderId), e => e.WithMetadata("handled-by", context.SubscriberId), cancellationToken);
        }
    }
}
