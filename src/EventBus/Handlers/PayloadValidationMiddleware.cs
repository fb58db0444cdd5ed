namespace EventBus;

/// <summary>
/// Checks each event against its <see cref="EventCatalog"/> entry before the handler runs (payload type and schema, as
/// <see cref="EventCatalog.Validate"/> does): an event that does not fit fails with <see cref="EventSchemaException"/>,
/// which is never retried, so it goes to the dead letters with the reason and the handler never sees it. Events of a
/// type the catalogue does not describe pass.
/// </summary>
internal sealed class PayloadValidationMiddleware(EventCatalog catalog) : IEventMiddleware
{
    /// <inheritdoc />
    public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
    {
        if (catalog.Contains(context.Envelope.Type))
        {
            catalog.Validate(context.Envelope);
        }

        return nextStep();
    }
}
