using EventBus.Tests.Support;

namespace EventBus.Tests.Resilience;

public sealed class ExpiryAndTimeoutTests
{
    private readonly WatchedTime _time = new();

    [Fact]
    public async Task AnExpiredEvent_IsNotDelivered_AndIsDeadLetteredAsExpired()
    {
        await using IEventBus bus = await Buses.StartedAsync(time: _time);
        int calls = 0;
        ISubscription subscription = bus.Subscribe(EventFilter.All, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.CompletedTask;
        });
        subscription.Pause();
        EventEnvelope shortLived = new EventBuilder("quote.offered").WithExpiry(TimeSpan.FromSeconds(5)).Build(_time);
        EventEnvelope longLived = new EventBuilder("quote.offered").WithExpiry(TimeSpan.FromMinutes(5)).Build(_time);
        ValueTask<PublishReport> shortReport = bus.PublishAndWaitAsync(shortLived);
        ValueTask<PublishReport> longReport = bus.PublishAndWaitAsync(longLived);

        _time.Advance(TimeSpan.FromSeconds(5));
        subscription.Resume();

        (await shortReport.Within()).Outcomes.Should().ContainSingle().Which.Result.Should().Be(DeliveryResult.Expired);
        (await longReport.Within()).Succeeded.Should().BeTrue();
        calls.Should().Be(1);
        DeadLetter letter = bus.DeadLetters.List().Should().ContainSingle().Subject;
        letter.Event.Should().BeSameAs(shortLived);
        letter.Reason.Should().Be(DeadLetterReason.Expired);
        letter.Attempts.Should().Be(0);
        letter.ExceptionType.Should().BeNull();
        subscription.Counters.Should().Be(new SubscriptionCounters { Matched = 2, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0, Expired = 1, DeadLettered = 1 });
        bus.GetStatistics().Expired.Should().Be(1);
    }

    [Fact]
    public async Task AnEventThatExpiresWhileWaitingForARetry_IsDeadLetteredAsExpired()
    {
        await using IEventBus bus = await Buses.StartedAsync(time: _time);
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"), new SubscriptionOptions { Retry = RetryPolicy.Fixed(5, TimeSpan.FromSeconds(10)) });
        await bus.PublishAsync(new EventBuilder("quote.offered").WithExpiry(TimeSpan.FromSeconds(15)).Build(_time));

        await _time.TimerCreatedAsync(1);
        _time.Advance(TimeSpan.FromSeconds(10));
        await _time.TimerCreatedAsync(2);
        _time.Advance(TimeSpan.FromSeconds(10));
        await bus.WaitForIdleAsync().Within();

        DeadLetter letter = bus.DeadLetters.List().Should().ContainSingle().Subject;
        letter.Reason.Should().Be(DeadLetterReason.Expired);
        letter.Attempts.Should().Be(2);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 0, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0, Expired = 1, Retried = 2, DeadLettered = 1 });
    }

    [Fact]
    public async Task AHandlerPastItsTimeout_IsCancelled_AndTheAttemptFails()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.HandlerTimeout = TimeSpan.FromSeconds(2), time: _time);
        bool cancelled = false;
        bus.Subscribe(EventFilter.All, async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        }, new SubscriptionOptions { SubscriberId = "slow" });
        ValueTask<PublishReport> report = bus.PublishAndWaitAsync(Buses.Event("render.page", time: _time));

        await _time.TimerCreatedAsync(1);
        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        report.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromTicks(1));

        DeliveryOutcome outcome = (await report.Within()).Outcomes.Single();
        outcome.Result.Should().Be(DeliveryResult.Failed);
        outcome.Exception.Should().BeOfType<HandlerTimeoutException>().Which.Message.Should().Contain("slow").And.Contain("00:00:02").And.Contain("render.page");
        cancelled.Should().BeTrue("the handler's token is cancelled at the timeout");
        bus.DeadLetters.List().Should().ContainSingle().Which.Reason.Should().Be(DeadLetterReason.TimedOut);
    }

    [Fact]
    public async Task AHandlerThatIgnoresItsTokenButCompletes_IsCountedHandled_WithAWarning()
    {
        Microsoft.Extensions.Logging.Testing.FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(logs: logs, time: _time);
        int calls = 0;
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            _time.Advance(TimeSpan.FromSeconds(3)); // the handler's work took three seconds of the clock
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { HandlerTimeout = TimeSpan.FromSeconds(1), Retry = RetryPolicy.Fixed(2, TimeSpan.Zero) });

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event(time: _time)).Within();

        report.Succeeded.Should().BeTrue();
        calls.Should().Be(1, "finished work is not repeated");
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
        logs.GetSnapshot().Should().ContainSingle(r => r.Message.Contains("ran past its timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void BadTimeouts_AreRefused()
    {
        Action busWide = () => EventBusFactory.Create(o => o.HandlerTimeout = TimeSpan.Zero);
        Action perSubscription = () => EventBusFactory.Create().Subscribe(EventFilter.All, (_, _) => ValueTask.CompletedTask, new SubscriptionOptions { HandlerTimeout = TimeSpan.FromSeconds(-1) });
        Action capacity = () => EventBusFactory.Create(o => { o.DeadLetterCapacity = 0; o.DeliveryStatusCapacity = -1; });

        busWide.Should().Throw<ArgumentException>().WithMessage("*HandlerTimeout is 00:00:00*positive*");
        perSubscription.Should().Throw<ArgumentException>().WithMessage("*HandlerTimeout is -00:00:01*");
        capacity.Should().Throw<ArgumentException>().WithMessage("*DeadLetterCapacity is 0*DeliveryStatusCapacity is -1*");
    }
}
