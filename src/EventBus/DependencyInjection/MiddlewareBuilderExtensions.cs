using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventBus;

/// <summary>Adds middleware to the pipeline around every handler registered with the builder, including the two that ship with the bus.</summary>
public static class MiddlewareBuilderExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TMiddleware"/> (as scoped, unless already registered) to the pipeline around every
    /// handler registered with this builder; middleware runs in the order it was added.
    /// </summary>
    /// <typeparam name="TMiddleware">The middleware type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddEventMiddleware<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TMiddleware>(this IEventBusBuilder builder)
        where TMiddleware : class, IEventMiddleware
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<TMiddleware>();
        builder.Services.AddSingleton(new MiddlewareRegistration(static services => services.GetRequiredService<TMiddleware>()));
        return builder;
    }

    /// <summary>
    /// Logs each handling with its duration (event id 70 at Debug when it succeeds, 71 at Warning with the exception when
    /// it fails). Added where it is called in the pipeline: first, it also times the middleware after it.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddHandlingLog(this IEventBusBuilder builder) => builder.AddEventMiddleware<HandlingLogMiddleware>();

    /// <summary>
    /// Checks each event against the <see cref="EventCatalog"/> before its handler runs: an event whose payload does not
    /// fit its registered type or schema fails with <see cref="EventSchemaException"/> without a retry and goes to the
    /// dead letters, and the handler never sees it. Events of types the catalogue does not describe pass.
    /// </summary>
    /// <param name="builder">The bus builder.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddPayloadValidation(this IEventBusBuilder builder) => builder.AddEventMiddleware<PayloadValidationMiddleware>();
}
