namespace EventBus.Benchmarks;

/// <summary>Envelopes are built once, outside the measured code, as the peers' messages are.</summary>
internal static class Envelopes
{
    public static EventEnvelope[] Ring(string type, int count, int keys) =>
        [.. Enumerable.Range(0, count).Select(i => new EventBuilder(type).WithWorkflow("wf-" + (i % keys)).Build())];

    public static IEventBus StartedBus(Action<EventBusOptions>? configure = null)
    {
        IEventBus bus = EventBusFactory.Create(o =>
        {
            o.SubscriptionFullMode = SubscriptionFullMode.Wait;
            configure?.Invoke(o);
        });
        bus.StartAsync().GetAwaiter().GetResult();
        return bus;
    }
}
