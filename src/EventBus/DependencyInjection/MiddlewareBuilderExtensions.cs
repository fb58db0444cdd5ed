namespace EventBus;

/// <summary>The middleware that ships with the bus, added to the pipeline around every handler registered with the builder.</summary>
public static class MiddlewareBuilderExtensions
{
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
