using System.Collections.Concurrent;
using CsCheck;
using EventBus.Tests.Support;

namespace EventBus.Tests.Resilience;

public sealed class RetryTests
{
    private readonly WatchedTime _time = new();

    [Fact]
    public async Task ExponentialBackoff_WaitsExactDelays_ThenDeadLetters()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.Retry = RetryPolicy.Exponential(4, TimeSpan.FromSeconds(1), jitter: 0), time: _time);
        ConcurrentQueue<DateTimeOffset> attempts = [];
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            attempts.Enqueue(_time.GetUtcNow());
            throw new InvalidOperationException("still broken");
        }, new SubscriptionOptions { SubscriberId = "billing" });
        DateTimeOffset start = _time.GetUtcNow();

        EventEnvelope published = Buses.Event("invoice.send", time: _time);
        await bus.PublishAsync(published);
        int retry = 0;
        foreach (TimeSpan delay in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) })
        {
            await _time.TimerCreatedAsync(++retry);
            _time.Advance(delay - TimeSpan.FromTicks(1));
            attempts.Should().HaveCount(retry, "the retry must not run before its delay");
            _time.Advance(TimeSpan.FromTicks(1));
        }

        await bus.WaitForIdleAsync().Within();

        attempts.Should().Equal(start, start.AddSeconds(1), start.AddSeconds(3), start.AddSeconds(7));
        DeadLetter letter = bus.DeadLetters.GetByEventId(published.Id).Should().ContainSingle().Subject;
        letter.Attempts.Should().Be(4);
        letter.Reason.Should().Be(DeadLetterReason.Failed);
        letter.SubscriberId.Should().Be("billing");
        letter.ExceptionType.Should().Be(typeof(InvalidOperationException).FullName);
        letter.ExceptionMessage.Should().Be("still broken");
        letter.DeadLetteredAt.Should().Be(start.AddSeconds(7));
        letter.PublishedAt.Should().Be(start);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 0, Failed = 1, Dropped = 0, Unhandled = 0, Pending = 0, Retried = 3, DeadLettered = 1 });
        bus.GetStatistics().Should().BeEquivalentTo(new { Failed = 1L, Retried = 3L, DeadLettered = 1L, DeadLetterCount = 1 });
    }

    [Fact]
    public async Task ASucceedingRetry_CompletesTheEvent_WithoutADeadLetter()
    {
        await using IEventBus bus = await Buses.StartedAsync(time: _time);
        int calls = 0;
        bus.Subscribe(EventFilter.All, (_, _) => Interlocked.Increment(ref calls) < 3 ? throw new TimeoutException("flaky") : ValueTask.CompletedTask,
            new SubscriptionOptions { Retry = RetryPolicy.Fixed(5, TimeSpan.Zero) });

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event()).Within();

        report.Succeeded.Should().BeTrue();
        calls.Should().Be(3, "a zero delay retries at once");
        bus.DeadLetters.Count.Should().Be(0);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0, Retried = 2 });
    }

    [Fact]
    public async Task ShouldRetry_SendsOtherExceptionsToTheDeadLetterQueueAtOnce()
    {
        await using IEventBus bus = await Buses.StartedAsync(time: _time);
        RetryPolicy policy = RetryPolicy.Fixed(5, TimeSpan.Zero);
        policy.ShouldRetry = exception => exception is TimeoutException;
        int calls = 0;
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new ArgumentException("bad order");
        }, new SubscriptionOptions { Retry = policy });

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event()).Within();

        report.FailedCount.Should().Be(1);
        calls.Should().Be(1);
        bus.DeadLetters.List().Should().ContainSingle().Which.Attempts.Should().Be(1);
    }

    [Fact]
    public async Task ARetryHoldsOnlyLaterEventsOfItsKey_AndOnlyForItsSubscription()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1, time: _time);
        ConcurrentQueue<string> handled = [];
        ConcurrentQueue<string> other = [];
        Signal b1Handled = new(1);
        Signal othersDone = new(4);
        bool failedOnce = false;
        bus.Subscribe(EventFilter.All, (e, _) =>
        {
            string name = e.GetData<string>();
            if (name == "A1" && !failedOnce)
            {
                failedOnce = true;
                throw new InvalidOperationException("A1 fails once");
            }

            handled.Enqueue(name);
            if (name == "B1")
            {
                b1Handled.Hit();
            }

            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(10)) });
        bus.Subscribe(EventFilter.All, (e, _) =>
        {
            other.Enqueue(e.GetData<string>());
            othersDone.Hit();
            return ValueTask.CompletedTask;
        });

        foreach ((string key, string name) in new[] { ("A", "A1"), ("A", "A2"), ("B", "B1"), ("A", "A3") })
        {
            await bus.PublishAsync(Buses.Event(key: key, data: name, time: _time));
        }

        await othersDone.WaitAsync();
        await b1Handled.WaitAsync();
        await _time.TimerCreatedAsync(1);
        handled.Should().Equal(["B1"], "key B is not held by key A's retry, while A2 and A3 wait behind A1");
        other.Should().Equal("A1", "A2", "B1", "A3");

        _time.Advance(TimeSpan.FromSeconds(10));
        await bus.WaitForIdleAsync().Within();

        handled.Should().Equal("B1", "A1", "A2", "A3");
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 4, Delivered = 4, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0, Retried = 1 });
    }

    [Fact]
    public async Task RemovingASubscription_WithAParkedRetry_AccountsForEveryHeldEvent()
    {
        await using IEventBus bus = await Buses.StartedAsync(time: _time);
        ISubscription subscription = bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"),
            new SubscriptionOptions { Retry = RetryPolicy.Fixed(3, TimeSpan.FromMinutes(1)) });
        Signal secondRouted = new(2);
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            // Subscribed second, so routing reaches it after the first: the first has the event by now.
            secondRouted.Hit();
            return ValueTask.CompletedTask;
        });
        await bus.PublishAsync(Buses.Event(key: "k", time: _time));
        await _time.TimerCreatedAsync(1);
        await bus.PublishAsync(Buses.Event(key: "k", time: _time));
        await secondRouted.WaitAsync();

        await subscription.UnsubscribeAsync().Within();

        subscription.Counters.Should().Be(new SubscriptionCounters { Matched = 2, Delivered = 0, Failed = 0, Dropped = 0, Unhandled = 2, Pending = 0, Retried = 1 });
        await bus.WaitForIdleAsync().Within();
        bus.GetStatistics().Unhandled.Should().Be(2);
        bus.DeadLetters.Count.Should().Be(0, "discarded events were never given up on");
    }

    [Fact]
    public void Delays_FollowThePolicy_AndJitterStaysWithinItsSpread()
    {
        RetryPolicy exponential = RetryPolicy.Exponential(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0);
        RetryPolicy fixedDelay = RetryPolicy.Fixed(3, TimeSpan.FromSeconds(2));

        Enumerable.Range(1, 6).Select(attempt => exponential.GetDelay(attempt)).Should().Equal(
            TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        fixedDelay.GetDelay(1).Should().Be(TimeSpan.FromSeconds(2));
        fixedDelay.GetDelay(2).Should().Be(TimeSpan.FromSeconds(2));
        RetryPolicy.None.GetDelay(1).Should().Be(TimeSpan.Zero);
        fixedDelay.ShouldRetryAfter(new InvalidOperationException(), 2).Should().BeTrue();
        fixedDelay.ShouldRetryAfter(new InvalidOperationException(), 3).Should().BeFalse("three attempts were made");

        Gen.Select(Gen.Int[1, 20], Gen.Double[0, 0.999999], Gen.Double[0, 1]).Sample(testCase =>
        {
            (int attempt, double sample, double jitter) = testCase;
            RetryPolicy policy = RetryPolicy.Exponential(30, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), jitter);
            double nominal = 10 * Math.Pow(2, attempt - 1);
            double delay = policy.GetDelay(attempt, sample).TotalMilliseconds;
            return delay <= 5_000 && delay >= Math.Min(nominal * (1 - jitter), 5_000) - 0.001 && delay <= (nominal * (1 + jitter)) + 0.001;
        });
    }

    [Fact]
    public void BadPolicies_AreRefusedWithTheValueAndTheFix()
    {
        Action noAttempts = () => RetryPolicy.Fixed(0, TimeSpan.Zero);
        Action badJitter = () => RetryPolicy.Exponential(3, TimeSpan.FromSeconds(1), jitter: 1.5);
        Action badOptions = () => EventBusFactory.Create(o => o.Retry = new RetryPolicy { Delay = TimeSpan.FromSeconds(-1) });
        Action badSubscription = () => EventBusFactory.Create().Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { Retry = new RetryPolicy { MaxAttempts = -2 } });

        noAttempts.Should().Throw<ArgumentException>().WithMessage("*MaxAttempts is 0*at least 1*");
        badJitter.Should().Throw<ArgumentException>().WithMessage("*Jitter is 1.5*");
        badOptions.Should().Throw<ArgumentException>().WithMessage("*EventBusOptions.Retry.Delay*");
        badSubscription.Should().Throw<ArgumentException>().WithMessage("*SubscriptionOptions.Retry.MaxAttempts is -2*");
    }
}
