using EventBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RabbitMqSample;

/// <summary>Runs a few workflows through the typed publishers; the transport carries every event to the broker.</summary>
internal static class Producer
{
    public static async Task RunAsync(IHost host, int workflows)
    {
        WorkflowEventPublisher publisher = host.Services.GetRequiredService<WorkflowEventPublisher>();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        string run = Guid.NewGuid().ToString("N")[..6];
        for (int i = 1; i <= workflows; i++)
        {
            string workflowId = $"order-{run}-{i}";
            await publisher.PublishWorkflowAsync(workflowId, WorkflowEventType.Started);
            foreach (string phase in (string[])["reserve", "charge", "ship"])
            {
                await publisher.PublishPhaseAsync(workflowId, phase, PhaseEventType.Started);
                await publisher.PublishPhaseAsync(workflowId, phase, PhaseEventType.Completed);
            }

            await publisher.PublishWorkflowAsync(workflowId, WorkflowEventType.Completed);
        }

        // Returns once the relay has every event confirmed by the broker.
        await bus.WaitForIdleAsync();
        EventBusStatistics statistics = bus.GetStatistics();
        Console.WriteLine($"producer: {statistics.Published} events published and confirmed by the broker");
    }
}
