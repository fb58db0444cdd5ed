namespace EventBus.Generators.Tests.Handlers;

/// <summary>A shop event interface: handlers of it receive every implementation.</summary>
public interface IShopEvent
{
    /// <summary>Gets the order.</summary>
    int OrderId { get; }
}

/// <summary>Named by convention: <c>order.placed</c>.</summary>
/// <param name="OrderId">The order.</param>
public sealed record OrderPlaced(int OrderId) : IShopEvent;

/// <summary>Named by its attribute.</summary>
/// <param name="OrderId">The order.</param>
[EventType("order.refunded")]
public sealed record OrderRefunded(int OrderId) : IShopEvent;

/// <summary>Fails a number of times before it is handled.</summary>
/// <param name="Failures">How many attempts fail.</param>
public sealed record Flaky(int Failures);

/// <summary>Two handlings at once let each other finish.</summary>
/// <param name="Key">Which handling.</param>
public sealed record Rendezvous(int Key);

/// <summary>A typed query, answered by a generated registration.</summary>
/// <param name="OrderId">The order.</param>
[EventType("order.total")]
public sealed record OrderTotal(int OrderId) : IQuery<decimal>;
