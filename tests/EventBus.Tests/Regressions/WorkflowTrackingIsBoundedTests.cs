using EventBus.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Regressions;

/// <summary>
/// The workflow publisher remembered every workflow that never reached a terminal event (200,000 such workflows kept
/// about 79 MB). It now remembers at most <see cref="EventPublisherOptions.MaxTrackedWorkflows"/>, forgetting the
/// least recently used; every eviction is counted, and the first is logged.
/// </summary>
public sealed class WorkflowTrackingIsBoundedTests
{
    [Fact]
    public async Task WorkflowsThatNeverEnd_AreBounded_AndEvictionsCounted()
    {
        FakeLogger<WorkflowEventPublisher> logger = new();
        await using IEventBus bus = await Buses.StartedAsync();
        WorkflowEventPublisher workflows = new(bus, new EventPublisherOptions { MaxTrackedWorkflows = 100 }, logger);

        for (int i = 0; i < 250; i++)
        {
            await workflows.PublishWorkflowAsync("wf-" + i, WorkflowEventType.Started);
        }

        await workflows.PublishPhaseAsync("wf-249", "build", PhaseEventType.Started);

        workflows.TrackedWorkflows.Should().Be(100);
        workflows.EvictedWorkflows.Should().Be(150);
        workflows.GetCurrentPhase("wf-249").Should().Be("build", "the most recent workflows are kept");
        workflows.GetCurrentPhase("wf-0").Should().BeNull("the least recently used were forgotten");
        logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Message.Contains("MaxTrackedWorkflows", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBound_IsValidated()
    {
        FluentActions.Invoking(() => new WorkflowEventPublisher(Buses.Create(), new EventPublisherOptions { MaxTrackedWorkflows = 0 }))
            .Should().Throw<ArgumentException>().WithMessage("*MaxTrackedWorkflows is 0*at least 1*");
    }
}
