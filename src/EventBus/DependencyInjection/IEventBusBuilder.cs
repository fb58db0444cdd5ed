using Microsoft.Extensions.DependencyInjection;

namespace EventBus;

/// <summary>Returned by <c>AddEventBus</c>, to register handlers on the same bus.</summary>
public interface IEventBusBuilder
{
    /// <summary>Gets the service collection the bus is registered in.</summary>
    IServiceCollection Services { get; }
}
