using BenchmarkDotNet.Attributes;
using CommunityToolkit.Mvvm.Messaging;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;

namespace EventBus.Benchmarks;

/// <summary>
/// Scenario 1: publish and wait for 1 or 4 synchronous no-op handlers. Wolverine's <c>InvokeAsync</c> runs the message's
/// handlers in one generated chain on the caller's thread.
/// </summary>
[MemoryDiagnoser]
public class PublishAndWaitBenchmarks
{
    private readonly OneHandlerNotification _one = new();
    private readonly FourHandlersNotification _four = new();
    private readonly PingMessage _message = new();
    private Action<EventEnvelope>[] _delegates = [];
    private EventEnvelope _envelope = null!;
    private IEventBus _bus = null!;
    private ServiceProvider _provider = null!;
    private IMediator _mediator = null!;
    private StrongReferenceMessenger _messenger = null!;
    private IHost _wolverineHost = null!;
    private IMessageBus _wolverine = null!;
    private readonly WolverineMessage _wolverineMessage = new(1);

    [Params(1, 4)]
    public int Handlers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _envelope = new EventBuilder("bench.ping").WithWorkflow("wf-1").Build();
        _delegates = [.. Enumerable.Range(0, Handlers).Select(_ => (Action<EventEnvelope>)(e => NoOp.Touch(e)))];
        _bus = Envelopes.StartedBus(o => o.WorkerCount = 1);
        for (int i = 0; i < Handlers; i++)
        {
            _bus.Subscribe("bench.ping", e => NoOp.Touch(e));
        }

        _provider = new ServiceCollection().AddMediator((MediatorOptions o) => o.ServiceLifetime = ServiceLifetime.Singleton).BuildServiceProvider();
        _mediator = _provider.GetRequiredService<IMediator>();
        _wolverineHost = WolverineHost.Start(Handlers, new WolverineCounter());
        _wolverine = _wolverineHost.Bus();
        _messenger = new StrongReferenceMessenger();
        for (int i = 0; i < Handlers; i++)
        {
            _messenger.Register<Recipient, PingMessage>(new Recipient(), static (r, m) => r.Receive(m));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _provider.Dispose();
        _wolverineHost.StopAsync().GetAwaiter().GetResult();
        _wolverineHost.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void DirectDelegate()
    {
        foreach (Action<EventEnvelope> handler in _delegates)
        {
            handler(_envelope);
        }
    }

    [Benchmark]
    public ValueTask Mediator_Publish() => Handlers == 1 ? _mediator.Publish(_one) : _mediator.Publish(_four);

    [Benchmark]
    public void StrongReferenceMessenger_Send() => _messenger.Send(_message);

    [Benchmark]
    public Task Wolverine_InvokeAsync() => _wolverine.InvokeAsync(_wolverineMessage);

    [Benchmark]
    public async Task<int> EventBus_PublishAndWait() => (await _bus.PublishAndWaitAsync(_envelope).ConfigureAwait(false)).HandledCount;

    public sealed class PingMessage;

    public sealed class Recipient
    {
        public void Receive(PingMessage message) => NoOp.Touch(message);
    }
}
