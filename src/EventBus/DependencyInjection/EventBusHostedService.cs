using Microsoft.Extensions.Hosting;

namespace EventBus;

/// <summary>Starts the bus with the host and stops it, draining accepted events, when the host stops.</summary>
internal sealed class EventBusHostedService(IEventBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => bus.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => bus.StopAsync(cancellationToken);
}
