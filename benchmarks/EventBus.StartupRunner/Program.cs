using System.Diagnostics;
using EventBus;
using EventBus.StartupRunner.Fixture;
using Microsoft.Extensions.DependencyInjection;

// Start-up with 500 generated handler registrations: from AddEventBus().AddEventHandlers() to a started bus with its
// 500 subscriptions. The first start of the process (cold: it JIT-compiles the code it runs) and the median of 20 more
// (warm), each on a fresh service collection and provider.
//   dotnet run -c Release --project benchmarks/EventBus.StartupRunner
TimeSpan cold = await StartOnceAsync();
List<TimeSpan> warm = [];
for (int run = 0; run < 20; run++)
{
    warm.Add(await StartOnceAsync());
}

warm.Sort();
Console.WriteLine($"500 generated handlers: cold start {cold.TotalMilliseconds:N1} ms, warm start median {warm[10].TotalMilliseconds:N1} ms (min {warm[0].TotalMilliseconds:N1}, max {warm[^1].TotalMilliseconds:N1}); goal 50 ms");

static async Task<TimeSpan> StartOnceAsync()
{
    Stopwatch stopwatch = Stopwatch.StartNew();
    ServiceCollection services = new();
    services.AddEventBus().AddEventHandlers();
    ServiceProvider provider = services.BuildServiceProvider();
    IEventBus bus = provider.GetRequiredService<IEventBus>();
    await bus.StartAsync();
    TimeSpan elapsed = stopwatch.Elapsed;
    if (bus.Subscriptions.Count != 500)
    {
        throw new InvalidOperationException($"{bus.Subscriptions.Count} subscriptions, not 500");
    }

    // One event reaches the five handlers of its payload type: the registrations work, not only exist.
    PublishReport report = await bus.PublishAndWaitAsync(new Payload7(1));
    if (report.HandledCount != 5)
    {
        throw new InvalidOperationException($"Payload7 reached {report.HandledCount} handlers, not 5");
    }

    await bus.DisposeAsync();
    await provider.DisposeAsync();
    return elapsed;
}
