using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Handlers;

/// <summary>Typed handlers registered by code: their payload types in the catalogue, and events of derived types delivered.</summary>
public sealed class TypedHandlerRegistrationTests
{
    [Fact]
    public async Task AnAttributedPayloadType_IsRegisteredInTheCatalogue()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddEventBus()
            .AddPayloadHandler<RefundHandler, RefundIssued>()
            .AddPayloadHandler<RefundHandler, RefundIssued>(options: new SubscriptionOptions { SubscriberId = "second" })
            .Services.BuildServiceProvider();

        EventCatalog catalog = provider.GetRequiredService<EventCatalog>();

        catalog.TryGet("refund.issued", out EventTypeDescriptor? descriptor).Should().BeTrue();
        descriptor!.PayloadType.Should().Be<RefundIssued>();
    }

    [Fact]
    public async Task TheSameHandlerForTheSameEventsTwice_IsRefused_ButAnotherIdOrAnotherPatternIsAnotherSubscription()
    {
        IEventBusBuilder builder = new ServiceCollection().AddEventBus()
            .AddPayloadHandler<RefundHandler, RefundIssued>()
            .AddEventHandler<Auditor>("refund.#");

        builder.Invoking(b => b.AddPayloadHandler<RefundHandler, RefundIssued>())
            .Should().Throw<InvalidOperationException>().WithMessage($"*{nameof(RefundHandler)}*registered twice*subscriber '{nameof(RefundHandler)}'*ConfigureHandler*");
        builder.Invoking(b => b.AddEventHandler<Auditor>("refund.#")).Should().Throw<InvalidOperationException>();

        builder.AddPayloadHandler<RefundHandler, RefundIssued>(options: new SubscriptionOptions { SubscriberId = "refunds-again" });
        builder.AddEventHandler<Auditor>("order.#");
        await using ServiceProvider provider = builder.Services.BuildServiceProvider();
        IEventBus bus = await provider.StartedBusAsync();

        bus.Subscriptions.Select(s => s.SubscriberId).Should().BeEquivalentTo(nameof(RefundHandler), "refunds-again", nameof(Auditor), nameof(Auditor));
    }

    [Fact]
    public async Task TwoPayloadTypesClaimingOneName_FailWhenTheBusIsBuilt()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddEventBus()
            .AddPayloadHandler<RefundHandler, RefundIssued>()
            .AddPayloadHandler<OtherRefundHandler, OtherRefund>()
            .Services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IEventBus>())
            .Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain(nameof(RefundIssued)).And.Contain(nameof(OtherRefund)).And.Contain("'refund.issued'");
    }

    [Fact]
    public void AnInvalidAttribute_FailsAtRegistration()
    {
        IEventBusBuilder builder = new ServiceCollection().AddEventBus();

        builder.Invoking(b => b.AddPayloadHandler<BadHandler, BadlyNamed>()).Should().Throw<ArgumentException>().WithMessage("*BadlyNamed*wildcard*");
    }

    [Fact]
    public async Task AHandlerOfAnInterface_ReceivesEveryImplementation_WhateverTheEventType()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<List<string>>()
            .AddEventBus()
            .AddPayloadHandler<AnyRefundHandler, IRefund>()
            .Services.BuildServiceProvider();
        IEventBus bus = await provider.StartedBusAsync();

        await bus.PublishAndWaitAsync(new RefundIssued(1)).Within();
        await bus.PublishAndWaitAsync(new OtherRefund(2)).Within();
        await bus.PublishAndWaitAsync(new EventBuilder("legacy.refund").WithData(new RefundIssued(3)).Build()).Within();
        await bus.PublishAndWaitAsync(Buses.Event("refund.issued", data: "not a refund")).Within();

        provider.GetRequiredService<List<string>>().Should().Equal("refund.issued 1", "refund.issued 2", "legacy.refund 3");
    }

    [Fact]
    public async Task ADelegateHandler_RunsInAScope_WithTheMiddlewareAndTheContext()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<List<string>>()
            .AddEventBus()
            .AddEventMiddleware<TaggingMiddleware>()
            .AddHandler<RefundIssued>("refund-mailer", async (refund, context, cancellationToken) =>
            {
                context.Services.GetRequiredService<List<string>>().Add($"mail {refund.OrderId} for {context.SubscriberId}");
                await context.PublishAsync(new OtherRefund(refund.OrderId), cancellationToken);
            }, filter: EventFilter.Pattern("refund.#"))
            .Services.BuildServiceProvider();
        IEventBus bus = await provider.StartedBusAsync();
        TaskCompletionSource<EventEnvelope> effect = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(EventFilter.Payload<OtherRefund>(), e => effect.TrySetResult(e));
        EventEnvelope issued = bus.CreateEvent(new RefundIssued(4));

        await bus.PublishAndWaitAsync(issued).Within();

        provider.GetRequiredService<List<string>>().Should().Equal("middleware refund-mailer", "mail 4 for refund-mailer");
        (await effect.Task.Within()).CausationId.Should().Be(issued.Id);
    }

    [Fact]
    public void ADelegateHandler_RefusesBadArguments()
    {
        IEventBusBuilder builder = new ServiceCollection().AddEventBus();

        builder.Invoking(b => b.AddHandler<RefundIssued>(" ", (_, _, _) => ValueTask.CompletedTask)).Should().Throw<ArgumentException>();
        builder.Invoking(b => b.AddHandler<RefundIssued>("a", null!)).Should().Throw<ArgumentNullException>();
        builder.Invoking(b => b.AddHandler<RefundIssued>("a", (_, _, _) => ValueTask.CompletedTask, options: new SubscriptionOptions { SubscriberId = "b" }))
            .Should().Throw<ArgumentException>().WithMessage("*'b'*'a'*");
        builder.Invoking(b => b.AddHandler<RefundIssued>("a", (_, _, _) => ValueTask.CompletedTask, options: new SubscriptionOptions { Concurrency = 0 }))
            .Should().Throw<ArgumentException>().WithMessage("*Concurrency*");
    }

    public interface IRefund
    {
        int OrderId { get; }
    }

    [EventType("refund.issued")]
    public sealed record RefundIssued(int OrderId) : IRefund;

    [EventType("refund.issued")]
    public sealed record OtherRefund(int OrderId) : IRefund;

    [EventType("refund.*")]
    public sealed record BadlyNamed;

    internal sealed class TaggingMiddleware(List<string> seen) : IEventMiddleware
    {
        public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            seen.Add("middleware " + context.SubscriberId);
            return nextStep();
        }
    }

    internal sealed class Auditor : IEventHandler
    {
        public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    internal sealed class RefundHandler : IEventHandler<RefundIssued>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, RefundIssued payload, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    internal sealed class OtherRefundHandler : IEventHandler<OtherRefund>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, OtherRefund payload, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    internal sealed class BadHandler : IEventHandler<BadlyNamed>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, BadlyNamed payload, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    internal sealed class AnyRefundHandler(List<string> seen) : IEventHandler<IRefund>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, IRefund payload, CancellationToken cancellationToken)
        {
            seen.Add($"{envelope.Type} {payload.OrderId}");
            return ValueTask.CompletedTask;
        }
    }
}
