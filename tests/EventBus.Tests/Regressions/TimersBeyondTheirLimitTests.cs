using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// .NET timers wait at most about 49.7 days. A handler timeout of 100 days passed validation, then killed the lane
/// that tried to arm it (events pending forever); a drain timeout of 100 days made <c>StopAsync</c> throw and left the
/// bus stopping; a retry delay of 60 days stranded its event. Each is now refused up front with the limit in the message.
/// </summary>
public sealed class TimersBeyondTheirLimitTests
{
    private static readonly TimeSpan HundredDays = TimeSpan.FromDays(100);

    [Fact]
    public async Task AHandlerTimeoutPastTheTimerLimit_IsRefusedAtSubscribe()
    {
        await using IEventBus bus = await Buses.StartedAsync();

        Action subscribe = () => bus.Subscribe(EventFilter.All, _ => { }, new SubscriptionOptions { HandlerTimeout = HundredDays });

        subscribe.Should().Throw<ArgumentException>().WithMessage("*HandlerTimeout is 100.00:00:00*at most 49.17:02:47.294*");
    }

    [Fact]
    public void BusTimeoutsPastTheTimerLimit_AreRefusedWithTheOptionsOtherProblems()
    {
        Action create = () => EventBusFactory.Create(o =>
        {
            o.DrainTimeout = HundredDays;
            o.HandlerTimeout = HundredDays;
        });

        create.Should().Throw<ArgumentException>()
            .WithMessage("*DrainTimeout is 100.00:00:00*at most 49.17:02:47.294*HandlerTimeout is 100.00:00:00*at most*");
    }

    [Fact]
    public void RetryDelaysPastTheTimerLimit_AreRefused()
    {
        Action fixedDelay = () => RetryPolicy.Fixed(3, TimeSpan.FromDays(60));
        Action cappedDelay = () => RetryPolicy.Exponential(3, TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromDays(60));

        fixedDelay.Should().Throw<ArgumentException>().WithMessage("*Delay*60.00:00:00*at most 49.17:02:47.294*");
        cappedDelay.Should().Throw<ArgumentException>().WithMessage("*MaxDelay*60.00:00:00*at most 49.17:02:47.294*");
    }

    [Fact]
    public async Task AnUnboundedExponentialPolicy_NeverAsksForADelayPastTheLimit()
    {
        // Exponential growth from a valid start must be capped by MaxDelay, itself within the limit.
        RetryPolicy policy = RetryPolicy.Exponential(60, TimeSpan.FromDays(1), maxDelay: TimeSpan.FromDays(40));
        await Task.CompletedTask;

        Enumerable.Range(1, 60).Select(attempt => policy.GetDelay(attempt, 0.999)).Should().OnlyContain(d => d <= TimeSpan.FromDays(40));
    }
}
