using System.Diagnostics;

namespace EventBus.Testing.Tests;

/// <summary>
/// The harness recorded an event only after the bus accepted it and the publish call returned, so a handler's
/// reaction could be recorded before its cause, and <c>After</c> expectations failed now and then on a busy machine.
/// Here the publishing thread is held, deterministically, until the handler has reacted.
/// </summary>
public sealed class HarnessRecordsCauseBeforeEffectTests
{
    private const string Cause = "race.cause";

    [Fact]
    public async Task AReactionPublishedBeforeThePublishCallReturns_IsRecordedAfterItsCause()
    {
        await using EventBusHarness harness = await EventBusHarness.StartAsync();
        IEventBus bus = harness.Bus;
        using ManualResetEventSlim reacted = new();
        bus.Subscribe(EventFilter.Type(Cause), async (e, ct) =>
        {
            await bus.PublishAsync(e.CreateCaused("race.effect", timeProvider: harness.Time), ct);
            reacted.Set();
        });

        // The publish activity stops inside the bus's publish call, after the event was accepted: holding it there
        // until the handler has reacted opens the window between acceptance and the call's return.
        using ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name == EventBusDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.DisplayName == "send " + Cause)
                {
                    reacted.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the handler reacts while the publisher is held");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await bus.PublishAsync(new EventBuilder(Cause).WithWorkflow("wf-1").Build(harness.Time));
        await harness.WaitForIdleAsync();

        harness.Published.All.Select(e => e.Type).Should().Equal(Cause, "race.effect");
        harness.ExpectPublished("race.effect").Once().After(Cause);
    }

    [Fact]
    public async Task ARefusedEvent_LeavesNoTraceInTheRecord()
    {
        await using EventBusHarness harness = EventBusHarness.Create(o => { o.Capacity = 1; o.FullMode = BusFullMode.Reject; });

        await harness.Bus.PublishAsync(new EventBuilder("kept.one").Build(harness.Time));
        Func<Task> refused = () => harness.Bus.PublishAsync(new EventBuilder("refused.one").Build(harness.Time)).AsTask();
        await refused.Should().ThrowAsync<EventBusFullException>();
        harness.Bus.TryPublish(new EventBuilder("refused.two").Build(harness.Time)).Should().BeFalse();

        harness.Published.All.Select(e => e.Type).Should().Equal("kept.one");
        harness.Published.Count.Should().Be(1);
    }
}
