namespace EventBus;

/// <summary>One registration of event types, applied to the <see cref="EventCatalog"/> when DI creates it.</summary>
/// <param name="apply">Registers the types.</param>
internal sealed class CatalogRegistration(Action<EventCatalog> apply)
{
    public void Apply(EventCatalog catalog) => apply(catalog);
}
