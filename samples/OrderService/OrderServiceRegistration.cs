using EventBus;
using Microsoft.Extensions.DependencyInjection;

namespace OrderService;

/// <summary>Registers the order service and its handlers on the event bus.</summary>
public static class OrderServiceRegistration
{
    public static IServiceCollection AddOrderService(this IServiceCollection services)
    {
        // AddEventHandlers() is generated for this assembly: every handler class, no reflection.
        services.AddEventBus().AddEventHandlers().AddHandlingLog();
        services.AddSingleton<Orders>();
        return services;
    }
}
