using AotSample;
using EventBus;
using Microsoft.Extensions.DependencyInjection;

// Typed events, handlers found at compile time, middleware and a typed query, in a native executable.
ServiceCollection services = new();
services.AddSingleton<Transcript>();
services.AddEventBus().AddEventHandlers().AddEventMiddleware<Tracing>();
await using ServiceProvider provider = services.BuildServiceProvider();
IEventBus bus = provider.GetRequiredService<IEventBus>();
await bus.StartAsync();

PublishReport report = await bus.PublishAndWaitAsync(new OrderPlaced("order-1", 100m), e => e.WithWorkflow("order-1"));
await bus.WaitForIdleAsync();
Transcript transcript = provider.GetRequiredService<Transcript>();
transcript.Write($"order.placed handled: {report.Succeeded}");

decimal taxed = await provider.GetRequiredService<QueryClient>().SendAsync(new TaxedAmount(100m));
transcript.Write($"taxed amount: {taxed}");
await bus.StopAsync();
