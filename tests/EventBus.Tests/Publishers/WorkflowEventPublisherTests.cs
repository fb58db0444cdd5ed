using EventBus.Testing;
using EventBus.Tests.Support;

namespace EventBus.Tests.Publishers;

public sealed class WorkflowEventPublisherTests
{
    private readonly InMemoryEventPublisher _fake = new(Buses.FakeTime());
    private readonly WorkflowEventPublisher _workflows;

    public WorkflowEventPublisherTests() => _workflows = new WorkflowEventPublisher(_fake, new EventPublisherOptions { Source = "planner" });

    [Theory]
    [InlineData(WorkflowEventType.Created, "workflow.created")]
    [InlineData(WorkflowEventType.Started, "workflow.started")]
    [InlineData(WorkflowEventType.Paused, "workflow.paused")]
    [InlineData(WorkflowEventType.Resumed, "workflow.resumed")]
    [InlineData(WorkflowEventType.Completed, "workflow.completed")]
    [InlineData(WorkflowEventType.Failed, "workflow.failed")]
    [InlineData(WorkflowEventType.Cancelled, "workflow.cancelled")]
    public async Task WorkflowEvents_HaveTheStandardType_KindSourceWorkflowAndCorrelation(WorkflowEventType eventType, string expectedType)
    {
        PublishResult result = await _workflows.PublishWorkflowAsync("wf-1", eventType, data: 42);

        result.Accepted.Should().BeTrue();
        EventEnvelope published = _fake.Published.All.Should().ContainSingle().Subject;
        published.Should().BeSameAs(result.Event);
        published.Type.Should().Be(expectedType);
        published.Kind.Should().Be(EventKind.Notification);
        published.Source.Should().Be("planner");
        published.WorkflowId.Should().Be("wf-1");
        published.CorrelationId.Should().Be("wf-1");
        published.CausationId.Should().BeNull("nothing began the workflow before");
        published.Phase.Should().BeNull();
        published.Data.Should().Be(42);
        published.Metadata.Should().BeEmpty();
    }

    [Theory]
    [InlineData(PhaseEventType.Started, "phase.started")]
    [InlineData(PhaseEventType.Progress, "phase.progress")]
    [InlineData(PhaseEventType.Completed, "phase.completed")]
    [InlineData(PhaseEventType.Failed, "phase.failed")]
    [InlineData(PhaseEventType.Skipped, "phase.skipped")]
    public async Task PhaseEvents_HaveTheStandardType_AndThePhase(PhaseEventType eventType, string expectedType)
    {
        await _workflows.PublishPhaseAsync("wf-1", "build", eventType, data: "payload");

        EventEnvelope published = _fake.Published.All.Should().ContainSingle().Subject;
        published.Type.Should().Be(expectedType);
        published.Kind.Should().Be(EventKind.Notification);
        published.Phase.Should().Be("build");
        published.WorkflowId.Should().Be("wf-1");
        published.Data.Should().Be("payload");
        _workflows.GetCurrentPhase("wf-1").Should().Be("build");
    }

    [Fact]
    public async Task Causation_FollowsTheWorkflowAndItsPhases()
    {
        EventEnvelope started = (await _workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Started)).Event;
        EventEnvelope paused = (await _workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Paused)).Event;
        EventEnvelope phaseStarted = (await _workflows.PublishPhaseAsync("wf-1", "build", PhaseEventType.Started)).Event;
        EventEnvelope progress = (await _workflows.PublishProgressAsync("wf-1", "build", 50)).Event;
        EventEnvelope resource = (await _workflows.PublishResourceAsync("wf-1", ResourceEventType.Allocated)).Event;
        EventEnvelope phaseCompleted = (await _workflows.PublishPhaseAsync("wf-1", "build", PhaseEventType.Completed)).Event;
        EventEnvelope completed = (await _workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Completed)).Event;

        paused.CausationId.Should().Be(started.Id);
        phaseStarted.CausationId.Should().Be(started.Id, "a phase starts because the workflow began");
        progress.CausationId.Should().Be(phaseStarted.Id);
        resource.CausationId.Should().Be(phaseStarted.Id, "the resource was allocated within the current phase");
        phaseCompleted.CausationId.Should().Be(phaseStarted.Id);
        completed.CausationId.Should().Be(started.Id);
        _fake.Published.All.Select(e => e.CorrelationId).Should().AllBe("wf-1");
        _workflows.TrackedWorkflows.Should().Be(0, "the terminal event releases the workflow's state");
        _workflows.GetCurrentPhase("wf-1").Should().BeNull();
    }

    [Fact]
    public async Task ExplicitCause_OverridesTheTrackedOne()
    {
        EventEnvelope trigger = Buses.Event("order.placed");
        await _workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Created);

        EventEnvelope started = (await _workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Started, causedBy: trigger)).Event;

        started.CausationId.Should().Be(trigger.Id);
    }

    [Theory]
    [InlineData(ResourceEventType.Requested, "resource.requested")]
    [InlineData(ResourceEventType.Allocated, "resource.allocated")]
    [InlineData(ResourceEventType.Released, "resource.released")]
    [InlineData(ResourceEventType.Insufficient, "resource.insufficient")]
    [InlineData(ResourceEventType.Conflict, "resource.conflict")]
    public async Task ResourceEvents_CarryTheCurrentPhase(ResourceEventType eventType, string expectedType)
    {
        await _workflows.PublishPhaseAsync("wf-1", "plan", PhaseEventType.Started);
        await _workflows.PublishPhaseAsync("wf-1", "deploy", PhaseEventType.Started);

        EventEnvelope resource = (await _workflows.PublishResourceAsync("wf-1", eventType, new { Cpu = 2 })).Event;

        resource.Type.Should().Be(expectedType);
        resource.Kind.Should().Be(EventKind.Notification);
        resource.Phase.Should().Be("deploy");
        resource.Data.Should().BeEquivalentTo(new { Cpu = 2 });
    }

    [Fact]
    public async Task ResourceEvent_OfAnUnknownWorkflow_HasNoPhaseAndNoCause()
    {
        EventEnvelope resource = (await _workflows.PublishResourceAsync("wf-unknown", ResourceEventType.Requested)).Event;

        resource.Phase.Should().BeNull();
        resource.CausationId.Should().BeNull();
    }

    [Theory]
    [InlineData(ErrorEventType.Recoverable, "error.recoverable", "recoverable", "1", EventPriority.Normal)]
    [InlineData(ErrorEventType.Critical, "error.critical", "critical", "2", EventPriority.Critical)]
    [InlineData(ErrorEventType.Resolved, "error.resolved", "resolved", "0", EventPriority.Normal)]
    [InlineData(ErrorEventType.Escalated, "error.escalated", "escalated", "3", EventPriority.High)]
    public async Task ErrorEvents_CarrySeverityRecoveryAndEscalationMetadata(ErrorEventType eventType, string expectedType, string severity, string level, EventPriority priority)
    {
        await _workflows.PublishPhaseAsync("wf-1", "verify", PhaseEventType.Started);

        EventEnvelope error = (await _workflows.PublishErrorAsync("wf-1", eventType, "disk full")).Event;

        error.Type.Should().Be(expectedType);
        error.Kind.Should().Be(EventKind.Error);
        error.Priority.Should().Be(priority);
        error.Phase.Should().Be("verify");
        error.Data.Should().Be("disk full");
        error.Metadata.Should().Equal(new Dictionary<string, string>
        {
            ["severity"] = severity,
            ["recovery_attempted"] = "false",
            ["escalation_level"] = level,
        });
    }

    [Fact]
    public async Task RecoveryAttempted_IsTrueAfterARecoverableError_OrWhenTheCallerSaysSo()
    {
        EventEnvelope first = (await _workflows.PublishErrorAsync("wf-1", ErrorEventType.Recoverable)).Event;
        EventEnvelope second = (await _workflows.PublishErrorAsync("wf-1", ErrorEventType.Escalated)).Event;
        EventEnvelope other = (await _workflows.PublishErrorAsync("wf-2", ErrorEventType.Critical, recoveryAttempted: true)).Event;

        first.Metadata[EventMetadataKeys.RecoveryAttempted].Should().Be("false");
        second.Metadata[EventMetadataKeys.RecoveryAttempted].Should().Be("true");
        other.Metadata[EventMetadataKeys.RecoveryAttempted].Should().Be("true");
    }

    [Fact]
    public async Task ProgressBatch_PublishesOneEventPerPhaseInOneBatch()
    {
        PhaseProgress[] progress = [new("plan", 100), new("build", 40) { Message = "compiling" }, new("verify", 0)];

        IReadOnlyList<PublishResult> results = await _workflows.PublishProgressBatchAsync("wf-1", progress);

        results.Should().OnlyContain(r => r.Accepted);
        _fake.Published.All.Select(e => (e.Type, e.Phase, e.Data)).Should().Equal(
            ("phase.progress", "plan", progress[0]),
            ("phase.progress", "build", progress[1]),
            ("phase.progress", "verify", progress[2]));
        _workflows.GetCurrentPhase("wf-1").Should().Be("verify");
    }

    [Fact]
    public async Task BadInput_ThrowsNamingTheValue_AndPublishesNothing()
    {
        Func<Task> outOfRange = () => _workflows.PublishProgressAsync("wf-1", "build", 140).AsTask();
        Func<Task> badBatch = () => _workflows.PublishProgressBatchAsync("wf-1", [new("plan", 10), new("build", -1)]).AsTask();
        Func<Task> emptyBatch = () => _workflows.PublishProgressBatchAsync("wf-1", []).AsTask();
        Func<Task> noWorkflow = () => _workflows.PublishWorkflowAsync(" ", WorkflowEventType.Started).AsTask();
        Func<Task> undefined = () => _workflows.PublishWorkflowAsync("wf-1", (WorkflowEventType)99).AsTask();

        (await outOfRange.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*140*0 to 100*");
        (await badBatch.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*'build'*-1*");
        await emptyBatch.Should().ThrowAsync<ArgumentException>();
        await noWorkflow.Should().ThrowAsync<ArgumentException>();
        (await undefined.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*WorkflowEventType 99*Created*");
        _fake.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task ThroughTheRealBus_SubscribersSeeAWorkflowInOrder()
    {
        await using EventBusHarness harness = await EventBusHarness.StartAsync(o => o.WorkerCount = 2);
        WorkflowEventPublisher workflows = new(harness.Bus, new EventPublisherOptions { Source = "runner" });

        await workflows.PublishWorkflowAsync("wf-9", WorkflowEventType.Started);
        await workflows.PublishPhaseAsync("wf-9", "build", PhaseEventType.Started);
        await workflows.PublishProgressBatchAsync("wf-9", [new("build", 50), new("build", 100)]);
        await workflows.PublishPhaseAsync("wf-9", "build", PhaseEventType.Completed);
        await workflows.PublishWorkflowAsync("wf-9", WorkflowEventType.Completed);
        await harness.WaitForIdleAsync();

        harness.ExpectPublished("workflow.completed").ForWorkflow("wf-9").Once().After("phase.completed");
        harness.Published.ForWorkflow("wf-9").Select(e => e.Type).Should().Equal(
            "workflow.started", "phase.started", "phase.progress", "phase.progress", "phase.completed", "workflow.completed");
    }
}
