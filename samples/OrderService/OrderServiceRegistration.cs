using EventBus;
using Microsoft.Extensions.DependencyInjection;

namespace OrderService;

/// <summary>Registers the order service and its handler on the event bus.</summary>
public static class OrderServiceRegistration
{
    public static IServiceCollection AddOrderService(this IServiceCollection services)
    {
        services.AddEventBus().AddPayloadHandler<ShippingHandler, OrderPlaced>(EventFilter.Type("order.placed"));
        services.AddSingleton<Orders>();
        return services;
    }
}
