using EventBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WorkflowSample;

/// <summary>
/// Subscribes a few printers, asks for a plan through request/response, runs the workflow with the typed publishers,
/// waits until every event has been handled, and stops the application. No envelope is built by hand.
/// </summary>
internal sealed class WorkflowRunner(
    IEventBus bus,
    WorkflowEventPublisher workflows,
    QueryClient queries,
    [FromKeyedServices("builder")] OperationEventPublisher builder,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Subscribe();
        queries.Respond("plan.phases", (query, _) => ValueTask.FromResult<object?>(new[] { "plan", "build", "verify" }));

        string workflowId = "wf-" + Guid.CreateVersion7().ToString("N")[^8..];
        string[] phases = await queries.SendAsync<string[]>("plan.phases", workflowId, timeout: TimeSpan.FromSeconds(5), cancellationToken: stoppingToken);

        // Every event carries the workflow id, its ordering key, so each subscriber sees them in publish order.
        await workflows.PublishWorkflowAsync(workflowId, WorkflowEventType.Started, cancellationToken: stoppingToken);
        foreach (string phase in phases)
        {
            await workflows.PublishPhaseAsync(workflowId, phase, PhaseEventType.Started, cancellationToken: stoppingToken);
            if (phase == "build")
            {
                await BuildAsync(workflowId, stoppingToken);
            }

            await workflows.PublishProgressBatchAsync(workflowId, [new(phase, 50), new(phase, 100) { Message = "done" }], stoppingToken);
            await workflows.PublishPhaseAsync(workflowId, phase, PhaseEventType.Completed, cancellationToken: stoppingToken);
        }

        await workflows.PublishWorkflowAsync(workflowId, WorkflowEventType.Completed, cancellationToken: stoppingToken);
        await bus.WaitForIdleAsync(stoppingToken);

        EventBusStatistics statistics = bus.GetStatistics();
        Console.WriteLine($"done: {statistics.Published} events published, {statistics.Delivered} deliveries handled, {statistics.Failed} failed");
        lifetime.StopApplication();
    }

    private async Task BuildAsync(string workflowId, CancellationToken cancellationToken)
    {
        // The resource event carries the current phase ("build") without being told.
        await workflows.PublishResourceAsync(workflowId, ResourceEventType.Allocated, new { Workers = 2 }, cancellationToken);
        await using (OperationScope compile = await builder.BeginAsync("compile", new { Project = "app.csproj", Release = true }, workflowId, cancellationToken))
        {
            compile.Complete(new { Warnings = 0 });
        }

        await workflows.PublishResourceAsync(workflowId, ResourceEventType.Released, cancellationToken: cancellationToken);
    }

    private void Subscribe()
    {
        bus.Subscribe("workflow.*", e => Console.WriteLine($"[workflow] {e.Type,-28} workflow={e.WorkflowId}"));
        bus.Subscribe<PhaseProgress>(EventFilter.Pattern("phase.progress"), (e, progress, _) =>
        {
            Console.WriteLine($"[progress] {e.Type,-28} phase={progress.Phase} {progress.Percent}%");
            return ValueTask.CompletedTask;
        }, options: null);
        bus.Subscribe<OperationCompleted>(EventFilter.Pattern("builder.*.completed"), (e, completed, _) =>
        {
            Console.WriteLine($"[operation] {e.Type,-27} took {completed.ExecutionTimeMs} ms; result fields: {string.Join(", ", completed.ResultSummary)}");
            return ValueTask.CompletedTask;
        }, options: null);
    }
}
