using EventBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RabbitMqSample;

/// <summary>Prints the workflow events that arrive from the broker; with an expected count, stops after that many.</summary>
internal static class Consumer
{
    public static async Task RunAsync(IHost host, int expect, CancellationToken stopping)
    {
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        TaskCompletionSource enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int received = 0;
        bus.Subscribe("#", e =>
        {
            Console.WriteLine($"consumer: {e.Type,-16} {e.WorkflowId,-14} phase={e.Phase ?? "-",-8} id={e.Id}");
            if (Interlocked.Increment(ref received) == expect)
            {
                enough.TrySetResult();
            }
        });
        await host.Services.GetRequiredService<EventBus.RabbitMQ.RabbitMqConsumer>().Ready.WaitAsync(stopping);
        Console.WriteLine("consumer: ready");
        await (expect > 0 ? enough.Task.WaitAsync(stopping) : Task.Delay(Timeout.Infinite, stopping));
        Console.WriteLine($"consumer: {received} events handled");
    }
}
