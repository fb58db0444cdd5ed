using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Support;

/// <summary>The bus a test's service provider built, started: what the hosted service would do at start-up.</summary>
internal static class StartedBus
{
    public static async Task<IEventBus> StartedBusAsync(this IServiceProvider provider)
    {
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();
        return bus;
    }
}
