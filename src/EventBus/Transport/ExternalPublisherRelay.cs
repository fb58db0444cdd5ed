namespace EventBus;

/// <summary>
/// Relays matching events to an external publisher through an ordinary subscription of the bus, so sending gets the
/// bus's guarantees: a bounded buffer whose overflow is counted, order per key, retries, and dead letters when the
/// external system stays away. Events that arrived from outside carry <see cref="EventMetadataKeys.ReceivedFrom"/> and
/// are never sent back out.
/// </summary>
internal static class ExternalPublisherRelay
{
    public static ISubscription Subscribe(IEventSubscriber bus, IExternalPublisher publisher, EventFilter binding, ExternalPublisherOptions options)
    {
        EventFilter local = binding.And(EventFilter.Not(EventFilter.Metadata(EventMetadataKeys.ReceivedFrom)));
        return bus.Subscribe(
            local,
            (envelope, cancellationToken) => publisher.PublishAsync(envelope, cancellationToken),
            new SubscriptionOptions
            {
                SubscriberId = ExternalPublishers.SubscriberIdOf(publisher.Name),
                BufferCapacity = options.OutboxCapacity,
                FullMode = SubscriptionFullMode.Drop,
                Concurrency = options.Concurrency,
                Retry = options.Retry,
            });
    }
}
