using Mediator;

namespace EventBus.Benchmarks;

/// <summary>The notification with four handlers.</summary>
public sealed class FourHandlersNotification : INotification;
