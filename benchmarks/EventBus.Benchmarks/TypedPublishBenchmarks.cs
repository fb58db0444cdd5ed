using BenchmarkDotNet.Attributes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Benchmarks;

/// <summary>
/// The typed layer's cost: publishing an object (its envelope built from the payload type) against publishing an
/// envelope built by hand and one built once, each to one no-op handler and waiting for it; Mediator's source-generated
/// <c>Publish</c> of a notification to one handler beside them; <c>PublishAsync</c> returns once the bus accepted the
/// event (the subscriber drains behind it, its buffer waiting when full). The last two rows are DI-scoped typed handlers (a
/// scope per event): without middleware, and with one pass-through middleware.
/// </summary>
[MemoryDiagnoser]
public class TypedPublishBenchmarks
{
    private readonly TypedPing _payload = new(1);
    private readonly OneHandlerNotification _notification = new();
    private EventEnvelope _prebuilt = null!;
    private IEventBus _bus = null!;
    private ServiceProvider _mediatorProvider = null!;
    private IMediator _mediator = null!;
    private ServiceProvider _scoped = null!;
    private IEventBus _scopedBus = null!;
    private ServiceProvider _piped = null!;
    private IEventBus _pipedBus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bus = Envelopes.StartedBus(o => o.WorkerCount = 1);
        _bus.Subscribe("typed.ping", e => NoOp.Touch(e));
        _prebuilt = new EventBuilder("typed.ping").WithData(_payload).Build();
        _mediatorProvider = new ServiceCollection().AddMediator((MediatorOptions o) => o.ServiceLifetime = ServiceLifetime.Singleton).BuildServiceProvider();
        _mediator = _mediatorProvider.GetRequiredService<IMediator>();
        (_scoped, _scopedBus) = ScopedBus(withMiddleware: false);
        (_piped, _pipedBus) = ScopedBus(withMiddleware: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // The providers hold buses, which are only asynchronously disposable: a synchronous Dispose throws.
        _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mediatorProvider.Dispose();
        _scoped.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _piped.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<PublishReport> Envelope_Prebuilt_PublishAndWait() => _bus.PublishAndWaitAsync(_prebuilt);

    [Benchmark]
    public ValueTask<PublishReport> Envelope_Built_PublishAndWait() =>
        _bus.PublishAndWaitAsync(new EventBuilder("typed.ping").WithData(_payload).Build(_bus.TimeProvider));

    [Benchmark]
    public ValueTask<PublishReport> Typed_PublishAndWait() => _bus.PublishAndWaitAsync(_payload);

    [Benchmark]
    public ValueTask Envelope_Built_PublishAsync() =>
        _bus.PublishAsync(new EventBuilder("typed.ping").WithData(_payload).Build(_bus.TimeProvider));

    [Benchmark]
    public ValueTask Typed_PublishAsync() => _bus.PublishAsync(_payload);

    [Benchmark]
    public ValueTask Mediator_Publish() => _mediator.Publish(_notification);

    [Benchmark]
    public ValueTask<PublishReport> ScopedHandler_Typed_PublishAndWait() => _scopedBus.PublishAndWaitAsync(_payload);

    [Benchmark]
    public ValueTask<PublishReport> ScopedHandler_OneMiddleware_PublishAndWait() => _pipedBus.PublishAndWaitAsync(_payload);

    private static (ServiceProvider Provider, IEventBus Bus) ScopedBus(bool withMiddleware)
    {
        ServiceCollection services = new();
        IEventBusBuilder builder = services.AddEventBus(o => o.WorkerCount = 1);
        if (withMiddleware)
        {
            builder.AddEventMiddleware<PassThroughMiddleware>();
        }

        builder.AddPayloadHandler<TypedPingHandler, TypedPing>();
        ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        bus.StartAsync().GetAwaiter().GetResult();
        return (provider, bus);
    }
}
