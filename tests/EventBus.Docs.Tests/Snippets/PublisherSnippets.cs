using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's typed publishers, request/response and operation lifecycle, run against the test harness.</summary>
public sealed class PublisherSnippets : IAsyncLifetime
{
    private readonly EventBusHarness _harness = EventBusHarness.Create();
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        ServiceCollection services = new();
        services.AddEventBus().ConfigurePublishers(o => o.Source = "docs").AddOperationPublisher("orchestrator", "routing");
        services.UseEventBusHarness(_harness);
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<IEventBus>().StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task WorkflowAndMessagePublishers_StampKindsCausationAndPhase()
    {
        WorkflowEventPublisher workflows = _provider.GetRequiredService<WorkflowEventPublisher>();
        MessagePublisher messages = _provider.GetRequiredService<MessagePublisher>();
        object error = new { Reason = "disk full" };
        object parameters = new { Sku = "sku-1", Quantity = 2 };

        // begin-snippet: typed-publishers
        // Workflow events: correlation = workflow id; causation = the event that began the workflow or phase.
        await workflows.PublishWorkflowAsync("wf-1", WorkflowEventType.Started);
        await workflows.PublishPhaseAsync("wf-1", "build", PhaseEventType.Started);
        await workflows.PublishProgressBatchAsync("wf-1", [new("build", 50), new("build", 100)]); // one batch
        await workflows.PublishResourceAsync("wf-1", ResourceEventType.Allocated, new { Cpu = 2 }); // carries phase "build"
        await workflows.PublishErrorAsync("wf-1", ErrorEventType.Critical, error);                  // severity, recovery_attempted, escalation_level

        // Messages: each sets its kind and the source id.
        PublishResult command = await messages.PublishCommandAsync("inventory.reserve", parameters, target: "inventory");
        await messages.PublishErrorAsync("CARD_DECLINED", "The card was declined", sourceEvent: command.Event);
        // end-snippet
        await _harness.WaitForIdleAsync();

        EventEnvelope resource = _harness.Published.OfType("resource.allocated").Should().ContainSingle().Subject;
        resource.Phase.Should().Be("build");
        resource.CorrelationId.Should().Be("wf-1");
        _harness.Published.OfType("phase.progress").Should().HaveCount(2).And.OnlyContain(e => e.Metadata.ContainsKey(EventMetadataKeys.BatchId));
        _harness.Published.OfType("error.critical").Should().ContainSingle().Which.Metadata[EventMetadataKeys.Severity].Should().Be("critical");
        command.Event.Kind.Should().Be(EventKind.Command);
        command.Event.Source.Should().Be("docs");
        _harness.Published.OfKind(EventKind.Error).Should().Contain(e => e.CausationId == command.Event.Id);
    }

    [Fact]
    public async Task Queries_AreAnsweredThroughThePendingRequestTable()
    {
        QueryClient queries = _provider.GetRequiredService<QueryClient>();
        Dictionary<string, int> levels = new() { ["sku-1"] = 12 };

        // begin-snippet: queries
        queries.Respond("stock.level", (query, ct) => ValueTask.FromResult<object?>(levels[query.GetData<string>()]));
        int level = await queries.SendAsync<int>("stock.level", "sku-1", timeout: TimeSpan.FromSeconds(2));
        // no responder: QueryTimeoutException naming the query; a failed response: QueryFailedException
        // end-snippet

        level.Should().Be(12);
    }

    [Fact]
    public async Task Operations_PublishStartedAndCompleted_WithSummariesOnly()
    {
        OperationEventPublisher operations = _provider.GetRequiredKeyedService<OperationEventPublisher>("orchestrator");
        var input = new { Route = "eu-west", Secret = "never printed" };
        var result = new { Hops = 3 };

        // begin-snippet: operations
        // Register with .AddOperationPublisher("orchestrator", "routing"); inject with [FromKeyedServices("orchestrator")].
        await using (OperationScope scope = await operations.BeginAsync("routing", input))   // orchestrator.routing.started
        {
            scope.Complete(result);   // .completed with execution_time_ms; without Complete or Fail, .failed
        }                              // inputs and results are summarised by field and type names, never values
        // end-snippet
        await _harness.WaitForIdleAsync();

        _harness.ExpectPublished("orchestrator.routing.completed").Once().After("orchestrator.routing.started");
        _harness.Published.All.Should().NotContain(e => e.Data != null && e.Data.ToString()!.Contains("never printed", StringComparison.Ordinal));
    }
}
