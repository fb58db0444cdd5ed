using System.Diagnostics;
using EventBus;
using EventBus.StartupRunner.Fixture;
using Microsoft.Extensions.DependencyInjection;

// Start-up with 500 generated handler registrations: from AddEventBus().AddEventHandlers() to a started bus with its
// 500 subscriptions. The first start of the process (cold: it JIT-compiles the code it runs) and the median of 20 more
// (warm), each on a fresh service collection and provider. With --without-handlers, the same without AddEventHandlers():
// the baseline for what the 500 registrations add, cold and warm.
//   dotnet run -c Release --project benchmarks/EventBus.StartupRunner [-- --without-handlers]
bool withHandlers = !args.Contains("--without-handlers");
TimeSpan cold = await StartOnceAsync(withHandlers);
List<TimeSpan> warm = [];
for (int run = 0; run < 20; run++)
{
    warm.Add(await StartOnceAsync(withHandlers));
}

warm.Sort();
Console.WriteLine($"{(withHandlers ? "500 generated handlers" : "no handlers")}: cold start {cold.TotalMilliseconds:N1} ms, warm start median {warm[10].TotalMilliseconds:N1} ms (min {warm[0].TotalMilliseconds:N1}, max {warm[^1].TotalMilliseconds:N1}); goal 50 ms");

static async Task<TimeSpan> StartOnceAsync(bool withHandlers)
{
    Stopwatch stopwatch = Stopwatch.StartNew();
    ServiceCollection services = new();
    IEventBusBuilder builder = services.AddEventBus();
    if (withHandlers)
    {
        builder.AddEventHandlers();
    }

    ServiceProvider provider = services.BuildServiceProvider();
    IEventBus bus = provider.GetRequiredService<IEventBus>();
    await bus.StartAsync();
    TimeSpan elapsed = stopwatch.Elapsed;
    int expected = withHandlers ? 500 : 0;
    if (bus.Subscriptions.Count != expected)
    {
        throw new InvalidOperationException($"{bus.Subscriptions.Count} subscriptions, not {expected}");
    }

    // One event reaches the five handlers of its payload type: the registrations work, not only exist.
    PublishReport report = await bus.PublishAndWaitAsync(new Payload7(1));
    if (report.HandledCount != expected / 100)
    {
        throw new InvalidOperationException($"Payload7 reached {report.HandledCount} handlers, not {expected / 100}");
    }

    await bus.DisposeAsync();
    await provider.DisposeAsync();
    return elapsed;
}
