namespace EventBus.Tests.Catalog.Legacy;

/// <summary>A payload type with the same name as another in another namespace: the convention names both <c>order.placed</c>.</summary>
/// <param name="Number">The order.</param>
public sealed record OrderPlaced(string Number);
