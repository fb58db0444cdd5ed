using System.Diagnostics.Metrics;
using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Regressions;

/// <summary>
/// A listener of the published-events counter runs inside routing. One that threw ended the partition's worker loop, so
/// its later events were never routed and <c>WaitForIdleAsync</c> never returned; a publisher that routed its own event
/// saw the exception after the event was accepted. Routing now logs the failure and goes on.
/// </summary>
public sealed class RoutingSurvivesAThrowingListenerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AThrowingPublishedListener_IsLogged_AndEveryEventIsStillHandled(bool backlogged)
    {
        FakeLogCollector logs = new();
        IEventBus bus = Buses.Create(o => o.WorkerCount = 1, logs);
        await using (bus)
        {
            using MeterListener listener = ThrowingListener(((ChannelEventBus)bus).Metrics.Meter, EventBusDiagnostics.PublishedInstrument);
            int handled = 0;
            bus.Subscribe(EventFilter.All, _ => Interlocked.Increment(ref handled));

            // Published before the start, the events wait for the worker; published after it, on an idle partition,
            // each publisher routes its own event.
            if (!backlogged)
            {
                await bus.StartAsync();
            }

            for (int i = 0; i < 3; i++)
            {
                await bus.PublishAsync(Buses.Event(key: "one-partition"));
            }

            await bus.StartAsync();
            await bus.WaitForIdleAsync().Within();

            handled.Should().Be(3);
            logs.GetSnapshot().Where(r => r.Id.Id == 74).Should().HaveCount(3)
                .And.OnlyContain(r => r.Level == LogLevel.Error && r.Exception!.Message == "the exporter is broken");
        }
    }

    private static MeterListener ThrowingListener(Meter meter, string instrumentName)
    {
        MeterListener listener = new()
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => throw new InvalidOperationException("the exporter is broken"));
        listener.Start();
        return listener;
    }
}
