using System.Diagnostics.Metrics;
using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// An exception thrown in a lane outside the handler (here a faulty metrics listener, as a timer that could not be
/// armed was before) ended the lane loop: its events stayed pending forever and <c>WaitForIdleAsync</c> never
/// returned. The lane now survives: the event is dead-lettered as <see cref="DeadLetterReason.Faulted"/>, the fault is
/// counted and logged, health turns unhealthy, and the lane goes on with the next event.
/// </summary>
public sealed class LaneSurvivesFaultsOutsideTheHandlerTests
{
    [Fact]
    public async Task AThrowingMetricsListener_DeadLettersTheEvent_AndTheLaneGoesOn()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 1);
        Meter meter = ((ChannelEventBus)bus).Metrics.Meter;
        using MeterListener listener = new()
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == EventBusDiagnostics.ProcessDurationInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("the exporter is broken"));
        listener.Start();
        int handled = 0;
        bus.Subscribe(EventFilter.All, _ => Interlocked.Increment(ref handled), new SubscriptionOptions { SubscriberId = "metered" });

        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(Buses.Event(key: "one-lane"));
        }

        await bus.WaitForIdleAsync().Within();

        handled.Should().Be(3, "the lane went on after each fault");
        bus.DeadLetters.List(new DeadLetterQuery()).Should().HaveCount(3)
            .And.OnlyContain(letter => letter.Reason == DeadLetterReason.Faulted && letter.ExceptionMessage == "the exporter is broken");
        bus.GetStatistics().LaneFaults.Should().Be(3);
        EventBusHealthReport health = bus.GetHealth();
        health.Status.Should().Be(EventBusHealthStatus.Unhealthy);
        health.Reasons.Should().Contain(reason => reason.Contains("outside their handlers", StringComparison.Ordinal));
    }
}
