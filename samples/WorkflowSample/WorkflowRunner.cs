using EventBus;
using Microsoft.Extensions.Hosting;

namespace WorkflowSample;

/// <summary>
/// Subscribes a few printers, runs one workflow of three phases through the bus, waits until every event has
/// been handled, and stops the application.
/// </summary>
internal sealed class WorkflowRunner(IEventBus bus, IHostApplicationLifetime lifetime) : BackgroundService
{
    private const string Source = "workflow-sample";
    private static readonly string[] Phases = ["plan", "build", "verify"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Subscribe();

        // Every event carries the workflow id, its ordering key, so each subscriber sees them in publish order.
        string workflowId = "wf-" + Guid.CreateVersion7().ToString("N")[^8..];
        EventEnvelope started = new EventBuilder("workflow.started").WithSource(Source).WithWorkflow(workflowId).Build(bus.TimeProvider);
        await bus.PublishAsync(started, stoppingToken);
        foreach (string phase in Phases)
        {
            await bus.PublishAsync(CausedBy(started, "phase.started", phase), stoppingToken);
            foreach (int percent in new[] { 50, 100 })
            {
                await bus.PublishAsync(CausedBy(started, "phase.progress", phase, new PhaseProgress(percent)), stoppingToken);
            }

            await bus.PublishAsync(CausedBy(started, "phase.completed", phase), stoppingToken);
        }

        await bus.PublishAsync(CausedBy(started, "workflow.completed", phase: null), stoppingToken);
        await bus.WaitForIdleAsync(stoppingToken);

        EventBusStatistics statistics = bus.GetStatistics();
        Console.WriteLine($"done: {statistics.Published} events published, {statistics.Delivered} deliveries handled, {statistics.Failed} failed");
        lifetime.StopApplication();
    }

    private void Subscribe()
    {
        bus.Subscribe("workflow.*", e => Console.WriteLine($"[workflow] {e.Type,-20} workflow={e.WorkflowId}"));
        bus.Subscribe<PhaseProgress>(EventFilter.Pattern("phase.progress"), (e, progress, _) =>
        {
            Console.WriteLine($"[progress] {e.Type,-20} phase={e.Phase} {progress.Percent}%");
            return ValueTask.CompletedTask;
        }, options: null);
        bus.Subscribe(EventFilter.Pattern("phase.*").And(EventFilter.Where(e => e.Type != "phase.progress", "not progress")), (e, _) =>
        {
            Console.WriteLine($"[phases]   {e.Type,-20} phase={e.Phase}");
            return ValueTask.CompletedTask;
        });
    }

    private EventEnvelope CausedBy(EventEnvelope cause, string type, string? phase, object? data = null) =>
        new EventBuilder(type).CausedBy(cause).WithSource(Source).WithPhase(phase).WithData(data).Build(bus.TimeProvider);
}
