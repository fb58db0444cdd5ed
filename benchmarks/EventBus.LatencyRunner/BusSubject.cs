namespace EventBus.LatencyRunner;

/// <summary>The bus as the runner uses it everywhere: 2 workers, the default capacity, wait mode, one subscriber.</summary>
internal sealed class BusSubject : ILatencySubject
{
    private readonly IEventBus _bus;

    private BusSubject(IEventBus bus) => _bus = bus;

    public static async Task<ILatencySubject> StartAsync(Action<EventEnvelope> handler)
    {
        IEventBus bus = EventBusFactory.Create(o =>
        {
            o.WorkerCount = 2;
            o.SubscriptionFullMode = SubscriptionFullMode.Wait;
        });
        await bus.StartAsync();
        bus.Subscribe("latency.probe", handler);
        return new BusSubject(bus);
    }

    public ValueTask PublishAsync(EventEnvelope envelope) => _bus.PublishAsync(envelope);

    public Task WaitForIdleAsync() => _bus.WaitForIdleAsync();

    public ValueTask DisposeAsync() => _bus.DisposeAsync();
}
