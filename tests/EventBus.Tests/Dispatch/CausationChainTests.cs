using EventBus.Testing;

namespace EventBus.Tests.Dispatch;

/// <summary>Handlers that publish in turn, checked through the test harness the library ships.</summary>
public sealed class CausationChainTests
{
    [Fact]
    public async Task HandlersPublishingInTurn_KeepCausationAndCorrelation_AndIdleWaitsForTheWholeChain()
    {
        await using EventBusHarness harness = await EventBusHarness.StartAsync(o => o.WorkerCount = 2);
        IEventBus bus = harness.Bus;
        foreach ((string from, string to) in new[] { ("workflow.started", "phase.started"), ("phase.started", "phase.completed"), ("phase.completed", "workflow.completed") })
        {
            bus.Subscribe(EventFilter.Type(from), async (e, ct) => await bus.PublishAsync(e.CreateCaused(to, timeProvider: harness.Time), ct));
        }

        EventEnvelope root = new EventBuilder("workflow.started").WithWorkflow("wf-chain").Build(harness.Time);
        await bus.PublishAsync(root);
        await harness.WaitForIdleAsync();

        harness.ExpectPublished("workflow.completed").ForWorkflow("wf-chain").Once().After("phase.completed");
        IReadOnlyList<EventEnvelope> chain = harness.Published.ForWorkflow("wf-chain");
        chain.Select(e => e.Type).Should().Equal("workflow.started", "phase.started", "phase.completed", "workflow.completed");
        chain.Skip(1).Select(e => e.CorrelationId).Should().AllBe(root.Id.ToString());
        chain.Zip(chain.Skip(1)).Should().OnlyContain(pair => pair.Second.CausationId == pair.First.Id);
        harness.ExpectNoFailures();
    }
}
