namespace EventBus.Testing.Tests;

public sealed class PublishedExpectationTests
{
    private readonly InMemoryEventPublisher _publisher = new();

    public PublishedExpectationTests()
    {
        Publish("workflow.started", "wf-1");
        Publish("phase.completed", "wf-1");
        Publish("workflow.completed", "wf-1");
        Publish("workflow.completed", "wf-2");
    }

    [Fact]
    public void Expectations_ThatHold_DoNotThrow()
    {
        _publisher.ExpectPublished("workflow.completed").ForWorkflow("wf-1").Once().After("phase.completed");
        _publisher.ExpectPublished("workflow.completed").Times(2).AtLeastOnce();
        _publisher.ExpectPublished("workflow.failed").Never();
        _publisher.ExpectPublished("workflow.*").Matching(e => e.WorkflowId == "wf-2", "in the second workflow").Once();
    }

    [Fact]
    public void Once_WhenMissing_ListsWhatWasPublishedInOrder()
    {
        EventAssertionException error = FluentActions.Invoking(() => _publisher.ExpectPublished("workflow.failed").ForWorkflow("wf-1").Once())
            .Should().Throw<EventAssertionException>().Which;

        error.Message.Should().Be(
            "Expected exactly 1 event of type 'workflow.failed' for workflow 'wf-1', but found 0. Published, in order:" + Environment.NewLine
            + "  1. workflow.started (Notification, workflow=wf-1, phase=-, correlation=-)" + Environment.NewLine
            + "  2. phase.completed (Notification, workflow=wf-1, phase=-, correlation=-)" + Environment.NewLine
            + "  3. workflow.completed (Notification, workflow=wf-1, phase=-, correlation=-)" + Environment.NewLine
            + "  4. workflow.completed (Notification, workflow=wf-2, phase=-, correlation=-)");
    }

    [Fact]
    public void Times_WhenTooMany_SaysHowManyWereFound()
    {
        FluentActions.Invoking(() => _publisher.ExpectPublished("workflow.completed").Once())
            .Should().Throw<EventAssertionException>().WithMessage("Expected exactly 1 event of type 'workflow.completed', but found 2. Published, in order:*");
        FluentActions.Invoking(() => _publisher.ExpectPublished("workflow.started").Never())
            .Should().Throw<EventAssertionException>().WithMessage("Expected exactly 0 events of type 'workflow.started', but found 1.*");
        FluentActions.Invoking(() => _publisher.ExpectPublished("order.*").AtLeastOnce())
            .Should().Throw<EventAssertionException>().WithMessage("Expected at least one event of type 'order.*', but found none.*");
    }

    [Fact]
    public void After_WhenTheEarlierEventCameLater_NamesBothPositions()
    {
        Publish("phase.completed", "wf-1");

        FluentActions.Invoking(() => _publisher.ExpectPublished("workflow.completed").ForWorkflow("wf-1").After("phase.completed"))
            .Should().Throw<EventAssertionException>()
            .WithMessage("Expected every 'phase.completed' for workflow 'wf-1' before the first event of type 'workflow.completed' for workflow 'wf-1', but #5 came after it (#3).*5. phase.completed*");
    }

    [Fact]
    public void After_WhenTheEarlierEventIsMissing_SaysSo()
    {
        FluentActions.Invoking(() => _publisher.ExpectPublished("workflow.completed").ForWorkflow("wf-2").After("phase.completed"))
            .Should().Throw<EventAssertionException>()
            .WithMessage("Expected an event of type 'workflow.completed' for workflow 'wf-2' after 'phase.completed', but no 'phase.completed' was published for workflow 'wf-2'.*");
        FluentActions.Invoking(() => _publisher.ExpectPublished("order.placed").After("phase.completed"))
            .Should().Throw<EventAssertionException>().WithMessage("Expected an event of type 'order.placed' after 'phase.completed', but found none.*");
    }

    private void Publish(string type, string workflowId) =>
        _publisher.TryPublish(new EventBuilder(type).WithWorkflow(workflowId).Build(_publisher.TimeProvider));
}
