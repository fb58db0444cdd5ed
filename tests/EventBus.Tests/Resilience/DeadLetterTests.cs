using System.Collections.Concurrent;
using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Resilience;

public sealed class DeadLetterTests
{
    [Fact]
    public async Task DeadLetters_CanBeListedQueriedAndFetchedByEventId()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe("order.#", _ => throw new InvalidOperationException("orders down"));
        bus.Subscribe("invoice.#", _ => throw new TimeoutException("billing slow"));
        EventEnvelope order = Buses.Event("order.placed");
        EventEnvelope invoice = Buses.Event("invoice.sent");

        await bus.PublishAndWaitAsync(order).Within();
        await bus.PublishAndWaitAsync(invoice).Within();

        bus.DeadLetters.Count.Should().Be(2);
        bus.DeadLetters.TotalAdded.Should().Be(2);
        bus.DeadLetters.List(new DeadLetterQuery { TypePattern = "order.*" }).Should().ContainSingle().Which.Event.Should().BeSameAs(order);
        bus.DeadLetters.List(new DeadLetterQuery { SubscriptionId = bus.Subscriptions[1].Id }).Should().ContainSingle().Which.ExceptionMessage.Should().Be("billing slow");
        bus.DeadLetters.List(new DeadLetterQuery { SubscriberId = bus.Subscriptions[0].SubscriberId, Reason = DeadLetterReason.Failed }).Should().ContainSingle();
        bus.DeadLetters.List(new DeadLetterQuery { Reason = DeadLetterReason.Expired }).Should().BeEmpty();
        bus.DeadLetters.List(new DeadLetterQuery { From = DateTimeOffset.MaxValue }).Should().BeEmpty();
        bus.DeadLetters.List(new DeadLetterQuery { To = DateTimeOffset.MinValue }).Should().BeEmpty();
        bus.DeadLetters.List(new DeadLetterQuery { Limit = 1 }).Should().ContainSingle().Which.Event.Should().BeSameAs(order, "the oldest comes first");
        bus.DeadLetters.GetByEventId(invoice.Id).Should().ContainSingle().Which.ToString().Should().Contain("invoice.sent").And.Contain("TimeoutException: billing slow");
        bus.DeadLetters.GetByEventId(Guid.NewGuid()).Should().BeEmpty();
    }

    [Fact]
    public async Task RetryingADeadLetter_DeliversItExactlyOnce_ToItsOriginalSubscription()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        bool healthy = false;
        ConcurrentQueue<Guid> handled = [];
        Signal redelivered = new(1);
        bus.Subscribe(EventFilter.All, (e, _) =>
        {
            if (!Volatile.Read(ref healthy))
            {
                throw new InvalidOperationException("down");
            }

            handled.Enqueue(e.Id);
            redelivered.Hit();
            return ValueTask.CompletedTask;
        });
        ConcurrentQueue<Guid> bystander = [];
        bus.Subscribe(EventFilter.All, (e, _) =>
        {
            bystander.Enqueue(e.Id);
            return ValueTask.CompletedTask;
        });
        EventEnvelope published = Buses.Event();
        await bus.PublishAsync(published);
        await bus.WaitForIdleAsync().Within();
        DeadLetter letter = bus.DeadLetters.List().Should().ContainSingle().Subject;
        Volatile.Write(ref healthy, true);

        // Several operators retry the same dead letter at once; it must be redelivered once.
        bool[] retried = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => bus.DeadLetters.Retry(letter.Id))));
        int retriedAll = bus.DeadLetters.RetryAll();
        await redelivered.WaitAsync();
        await bus.WaitForIdleAsync().Within();

        retried.Count(r => r).Should().Be(1);
        retriedAll.Should().Be(0);
        handled.Should().Equal(published.Id);
        bystander.Should().Equal([published.Id], "only the original subscription gets the retry");
        bus.DeadLetters.Count.Should().Be(0);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 2, Delivered = 1, Failed = 1, Dropped = 0, Unhandled = 0, Pending = 0, DeadLettered = 1 });
    }

    [Fact]
    public async Task RetryAll_RedeliversWhatItSelects_AndPurgeRemoves()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        int failures = 2;
        Signal handled = new(1);
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            if (Interlocked.Decrement(ref failures) >= 0)
            {
                throw new InvalidOperationException("down");
            }

            handled.Hit();
            return ValueTask.CompletedTask;
        });
        await bus.PublishAsync(Buses.Event("a.one"));
        await bus.PublishAsync(Buses.Event("b.two"));
        await bus.WaitForIdleAsync().Within();

        int retried = bus.DeadLetters.RetryAll(new DeadLetterQuery { TypePattern = "a.*" });
        await handled.WaitAsync();
        await bus.WaitForIdleAsync().Within();
        int purged = bus.DeadLetters.PurgeAll();

        retried.Should().Be(1);
        purged.Should().Be(1);
        bus.DeadLetters.Count.Should().Be(0);
        bus.DeadLetters.Retry(Guid.NewGuid()).Should().BeFalse();
    }

    [Fact]
    public async Task RetryingForARemovedSubscription_Throws_AndKeepsTheDeadLetter()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ISubscription subscription = bus.Subscribe("x.y", _ => throw new InvalidOperationException("down"));
        await bus.PublishAsync(Buses.Event("x.y"));
        await bus.WaitForIdleAsync().Within();
        await subscription.UnsubscribeAsync();
        DeadLetter letter = bus.DeadLetters.List().Single();

        Action retry = () => bus.DeadLetters.Retry(letter.Id);

        retry.Should().Throw<InvalidOperationException>().WithMessage($"*{subscription.Id}*no longer exists*kept*");
        bus.DeadLetters.RetryAll().Should().Be(0);
        bus.DeadLetters.Count.Should().Be(1);
    }

    [Fact]
    public async Task AFullQueue_EvictsTheOldest_CountsAndLogsIt()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(o => o.DeadLetterCapacity = 2, logs);
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), new SubscriptionOptions { SubscriberId = "sink" });
        EventEnvelope[] events = [Buses.Event(key: "k"), Buses.Event(key: "k"), Buses.Event(key: "k")];

        await bus.PublishBatchAsync(events);
        await bus.WaitForIdleAsync().Within();

        bus.DeadLetters.List().Select(l => l.Event.Id).Should().Equal(events[1].Id, events[2].Id);
        bus.DeadLetters.Evicted.Should().Be(1);
        bus.DeadLetters.Capacity.Should().Be(2);
        bus.GetStatistics().Should().BeEquivalentTo(new { DeadLettered = 3L, DeadLetterCount = 2, DeadLetterEvicted = 1L });
        logs.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning && r.Message.Contains("Dead-letter queue full", StringComparison.Ordinal))
            .Which.Message.Should().Contain(events[0].Id.ToString());
    }

    [Fact]
    public async Task ASubscriptionWithoutDeadLetters_CountsAndLogsItsFailuresOnly()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(logs: logs);
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), new SubscriptionOptions { DeadLetter = false });

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event()).Within();

        report.FailedCount.Should().Be(1);
        bus.DeadLetters.Count.Should().Be(0);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 0, Failed = 1, Dropped = 0, Unhandled = 0, Pending = 0 });
        logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Error && r.Message.Contains("giving up", StringComparison.Ordinal));
    }
}
