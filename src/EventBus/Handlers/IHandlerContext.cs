namespace EventBus;

/// <summary>
/// The event a handler is handling, available from the handler's DI scope (inject it in the constructor) and passed to
/// every <see cref="IEventMiddleware"/>. It is also a publisher: events published through it as objects
/// (<see cref="TypedPublishingExtensions.PublishAsync{TPayload}(IEventPublisher, TPayload, Action{EventBuilder}?, CancellationToken)"/>)
/// carry the handled event's correlation, workflow and phase, and its id as their causation.
/// </summary>
public interface IHandlerContext : IEventPublisher
{
    /// <summary>Gets the event being handled.</summary>
    EventEnvelope Envelope { get; }

    /// <summary>Gets the subscription handling it (its id, state and counters; it can be paused from here).</summary>
    ISubscription Subscription { get; }

    /// <summary>Gets the subscriber id of the subscription handling it.</summary>
    string SubscriberId { get; }

    /// <summary>Gets the handling's DI scope.</summary>
    IServiceProvider Services { get; }

    /// <summary>Gets the token that cancels the handling (the bus stopping, or the handler's timeout).</summary>
    CancellationToken CancellationToken { get; }
}
