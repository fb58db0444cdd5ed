using Mediator;

namespace EventBus.Benchmarks;

/// <summary>Mediator's source generator wires handlers at compile time, so 1 and 4 handlers need two notification types.</summary>
public sealed class OneHandlerNotification : INotification;
