using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Subscriptions;

/// <summary>A named subscriber subscribes under its id, lists its subscriptions, and pauses, resumes and removes them together.</summary>
public sealed class SubscriberTests
{
    [Fact]
    public async Task Subscriber_SubscribesUnderItsId_AndListsOnlyItsSubscriptions()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Subscriber billing = bus.CreateSubscriber("billing");
        ISubscription invoices = billing.Subscribe("invoice.*", _ => { });
        ISubscription payments = billing.Subscribe(EventFilter.Pattern("payment.#"), (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { Concurrency = 2 });
        ISubscription other = bus.Subscribe("invoice.*", _ => { });

        billing.Subscriptions.Should().Equal(invoices, payments);
        invoices.SubscriberId.Should().Be("billing");
        payments.SubscriberId.Should().Be("billing");
        other.SubscriberId.Should().NotBe("billing");
        bus.CreateSubscriber("billing").Subscriptions.Should().Equal([invoices, payments], "a second handle with the same id sees the same subscriptions");
        billing.ToString().Should().Be("Subscriber billing (2 subscriptions)");
    }

    [Fact]
    public async Task Subscriber_PausesResumesAndRemovesAllItsSubscriptions()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Subscriber billing = bus.CreateSubscriber("billing");
        ConcurrentQueue<string> handled = [];
        billing.Subscribe("invoice.*", e => handled.Enqueue(e.Type));
        billing.Subscribe("payment.*", e => handled.Enqueue(e.Type));
        Signal bystander = new(2);
        bus.Subscribe("#", _ => bystander.Hit());

        billing.PauseAll().Should().Be(2);
        await bus.PublishAsync(Buses.Event("invoice.sent"));
        await bus.PublishAsync(Buses.Event("payment.received"));
        await bystander.WaitAsync();

        handled.Should().BeEmpty("both subscriptions are paused");
        billing.Subscriptions.Should().OnlyContain(s => s.State == SubscriptionState.Paused);

        billing.ResumeAll().Should().Be(2);
        await bus.WaitForIdleAsync().Within();
        handled.Should().BeEquivalentTo(["invoice.sent", "payment.received"]);

        (await billing.UnsubscribeAllAsync()).Should().Be(2);
        billing.Subscriptions.Should().BeEmpty();
        bus.Subscriptions.Should().ContainSingle("the bystander stays");
    }

    [Fact]
    public async Task Subscriber_RefusesOptionsNamingAnotherSubscriber_AndLeavesTheOptionsAsTheyWere()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Subscriber billing = bus.CreateSubscriber("billing");
        SubscriptionOptions shared = new() { Concurrency = 3 };

        FluentActions.Invoking(() => billing.Subscribe("a.b", _ => { }, new SubscriptionOptions { SubscriberId = "shipping" }))
            .Should().Throw<ArgumentException>().WithMessage("*'shipping'*subscriber 'billing'*");
        billing.Subscribe("a.b", _ => { }, shared);
        billing.Subscribe("a.c", _ => { }, new SubscriptionOptions { SubscriberId = "billing" });

        shared.SubscriberId.Should().BeNull("the subscriber copies the options");
        billing.Subscriptions.Should().HaveCount(2);
        bus.Subscriptions.Should().HaveCount(2, "the refused subscription was not made");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nid")]
    public async Task CreateSubscriber_RefusesIdsThatAreEmptyOrHoldControlCharacters(string id)
    {
        await using IEventBus bus = Buses.Create();
        FluentActions.Invoking(() => bus.CreateSubscriber(id)).Should().Throw<ArgumentException>().WithMessage("*SubscriberId*printable*");
    }

    [Fact]
    public async Task SubscribeByPattern_WithOptions_CarriesThem()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        Signal handled = new(1);

        ISubscription asynchronous = bus.Subscribe("order.*", (_, _) => { handled.Hit(); return ValueTask.CompletedTask; }, new SubscriptionOptions { SubscriberId = "orders", Concurrency = 4 });
        ISubscription synchronous = bus.Subscribe("stock.*", _ => { }, new SubscriptionOptions { SubscriberId = "stock" });
        await bus.PublishAsync(Buses.Event("order.placed"));
        await handled.WaitAsync();

        asynchronous.SubscriberId.Should().Be("orders");
        synchronous.SubscriberId.Should().Be("stock");
        asynchronous.FilterDescription.Should().Be("type matches 'order.*'");
    }
}
