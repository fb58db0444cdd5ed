using System.Collections.Concurrent;

namespace EventBus.Testing.Tests.Contract;

/// <summary>The bus as the contract's subject: a subscription to every event records what the bus delivered.</summary>
public abstract class BusContract : EventPublisherContract
{
    private readonly ConcurrentQueue<EventEnvelope> _seen = new();
    private IEventBus? _bus;

    public override async Task DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }
    }

    /// <summary>Makes the bus; the suite subscribes and starts it.</summary>
    protected abstract IEventBus CreateBus();

    /// <summary>The observing subscription's options (by default the bus's retry policy).</summary>
    protected virtual SubscriptionOptions Observer => new() { SubscriberId = "contract" };

    protected override async Task<IEventPublisher> CreateAsync()
    {
        _bus = CreateBus();
        _bus.Subscribe(EventFilter.All, (envelope, _) =>
        {
            _seen.Enqueue(envelope);
            return ValueTask.CompletedTask;
        }, Observer);
        await _bus.StartAsync();
        return _bus;
    }

    protected override async Task<IReadOnlyList<EventEnvelope>> SeenAsync()
    {
        await _bus!.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return [.. _seen];
    }
}

public sealed class BusWithOneWorkerContract : BusContract
{
    protected override IEventBus CreateBus() => EventBusFactory.Create(o => o.WorkerCount = 1);
}

public sealed class BusWithFourWorkersContract : BusContract
{
    protected override IEventBus CreateBus() => EventBusFactory.Create(o => o.WorkerCount = 4);
}

public sealed class BusWithAStoreContract : BusContract
{
    protected override IEventBus CreateBus() => EventBusFactory.Create(o => o.WorkerCount = 2, store: new InMemoryEventStore());
}

/// <summary>A subscription whose retries never wait lets publish-and-wait run its handler on the caller's thread.</summary>
public sealed class BusPublishingInlineContract : BusContract
{
    protected override SubscriptionOptions Observer => new() { SubscriberId = "contract", Retry = new RetryPolicy { MaxAttempts = 1 } };

    protected override IEventBus CreateBus() => EventBusFactory.Create(o => o.WorkerCount = 2);
}

public sealed class InMemoryEventPublisherContract : EventPublisherContract
{
    private readonly InMemoryEventPublisher _publisher = new();

    public override Task DisposeAsync() => Task.CompletedTask;

    protected override Task<IEventPublisher> CreateAsync() => Task.FromResult<IEventPublisher>(_publisher);

    protected override Task<IReadOnlyList<EventEnvelope>> SeenAsync() => Task.FromResult(_publisher.Published.All);
}

public sealed class EventBusHarnessContract : EventPublisherContract
{
    private EventBusHarness? _harness;

    public override async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    protected override async Task<IEventPublisher> CreateAsync()
    {
        _harness = await EventBusHarness.StartAsync();
        return _harness.Bus;
    }

    protected override async Task<IReadOnlyList<EventEnvelope>> SeenAsync()
    {
        await _harness!.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return _harness.Published.All;
    }
}
