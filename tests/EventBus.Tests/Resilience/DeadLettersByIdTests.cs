using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Resilience;

/// <summary>Dead letters can be purged and retried by their own id or by their event's id, without a lookup first.</summary>
public sealed class DeadLettersByIdTests
{
    private bool _healthy;

    [Fact]
    public async Task Purge_ByDeadLetterId_RemovesThatOneOnly()
    {
        await using IEventBus bus = await StartedAsync();
        await FailAsync(bus, "order.placed", "order.paid");
        DeadLetter first = bus.DeadLetters.List()[0];

        bus.DeadLetters.Purge(first.Id).Should().BeTrue();
        bus.DeadLetters.Purge(first.Id).Should().BeFalse("it is gone already");
        bus.DeadLetters.Purge(Guid.NewGuid()).Should().BeFalse();

        bus.DeadLetters.List().Should().ContainSingle().Which.Event.Type.Should().Be("order.paid");
    }

    [Fact]
    public async Task PurgeAll_ByEventId_RemovesEverySubscriptionsDeadLetterOfThatEvent()
    {
        await using IEventBus bus = await StartedAsync(subscriptions: 2);
        EventEnvelope[] events = await FailAsync(bus, "order.placed", "order.paid");
        bus.DeadLetters.Count.Should().Be(4, "two subscriptions gave up on two events");

        int purged = bus.DeadLetters.PurgeAll(new DeadLetterQuery { EventId = events[0].Id });

        purged.Should().Be(2);
        bus.DeadLetters.List().Should().OnlyContain(letter => letter.Event.Id == events[1].Id);
    }

    [Fact]
    public async Task RetryAll_ByEventId_RedeliversThatEventOnly()
    {
        await using IEventBus bus = await StartedAsync();
        EventEnvelope[] events = await FailAsync(bus, "order.placed", "order.paid");
        Volatile.Write(ref _healthy, true);

        int retried = bus.DeadLetters.RetryAll(new DeadLetterQuery { EventId = events[1].Id });
        await bus.WaitForIdleAsync().Within();

        retried.Should().Be(1);
        Handled.Should().Equal(events[1].Id);
        bus.DeadLetters.List().Should().ContainSingle().Which.Event.Id.Should().Be(events[0].Id);
    }

    [Fact]
    public async Task RetryAll_ByDeadLetterId_AndLimit_ActOnAsManyAsAsked()
    {
        await using IEventBus bus = await StartedAsync();
        EventEnvelope[] events = await FailAsync(bus, "a.one", "a.two", "a.three", "a.four");
        Volatile.Write(ref _healthy, true);
        DeadLetter last = bus.DeadLetters.List()[^1];

        bus.DeadLetters.RetryAll(new DeadLetterQuery { DeadLetterId = last.Id }).Should().Be(1);
        bus.DeadLetters.RetryAll(new DeadLetterQuery { Limit = 2 }).Should().Be(2, "the limit caps what a call acts on, oldest first");
        bus.DeadLetters.PurgeAll(new DeadLetterQuery { Limit = 5 }).Should().Be(1);
        await bus.WaitForIdleAsync().Within();

        Handled.Should().BeEquivalentTo([events[3].Id, events[0].Id, events[1].Id]);
        bus.DeadLetters.Count.Should().Be(0);
    }

    [Fact]
    public async Task Queries_WithALimitBelowOne_AreRefused()
    {
        await using IEventBus bus = await StartedAsync();

        FluentActions.Invoking(() => bus.DeadLetters.List(new DeadLetterQuery { Limit = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*DeadLetterQuery.Limit is 0*null for every*");
    }

    private ConcurrentQueue<Guid> Handled { get; } = [];

    private async Task<IEventBus> StartedAsync(int subscriptions = 1)
    {
        IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        for (int i = 0; i < subscriptions; i++)
        {
            bus.Subscribe(EventFilter.All, (e, _) =>
            {
                if (!Volatile.Read(ref _healthy))
                {
                    throw new InvalidOperationException("down");
                }

                Handled.Enqueue(e.Id);
                return ValueTask.CompletedTask;
            });
        }

        return bus;
    }

    private static async Task<EventEnvelope[]> FailAsync(IEventBus bus, params string[] types)
    {
        EventEnvelope[] events = [.. types.Select(type => Buses.Event(type))];
        foreach (EventEnvelope envelope in events)
        {
            await bus.PublishAndWaitAsync(envelope).Within();
        }

        return events;
    }
}
