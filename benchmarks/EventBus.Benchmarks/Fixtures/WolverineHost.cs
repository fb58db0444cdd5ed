using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace EventBus.Benchmarks;

/// <summary>
/// A started Wolverine host with the given handlers and nothing else: no conventional discovery (the entry assembly of
/// an out-of-process benchmark is BenchmarkDotNet's), no logging, no durable storage, handler code compiled at start.
/// </summary>
internal static class WolverineHost
{
    private static readonly Type[] Handlers = [typeof(WolverineHandlerA), typeof(WolverineHandlerB), typeof(WolverineHandlerC), typeof(WolverineHandlerD)];

    public static IHost Start(int handlers, WolverineCounter counter)
    {
        IHost host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services => services.AddSingleton(counter))
            .UseWolverine(options =>
            {
                options.UseRuntimeCompilation();
                options.Durability.Mode = DurabilityMode.Solo;
                options.Discovery.DisableConventionalDiscovery();
                foreach (Type handler in Handlers.Take(handlers))
                {
                    options.Discovery.IncludeType(handler);
                }
            })
            .Build();
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }

    public static IMessageBus Bus(this IHost host) => host.Services.GetRequiredService<IMessageBus>();
}
