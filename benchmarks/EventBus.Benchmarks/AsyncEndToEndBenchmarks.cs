using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.Hosting;
using Wolverine;

namespace EventBus.Benchmarks;

/// <summary>
/// Scenario 2: publish N events asynchronously and wait until every subscriber has handled them. Reported per event.
/// The baseline is a raw bounded channel of the bus's capacity with one consumer; the raw fan-out gives each subscriber
/// a bounded channel and a consumer of its own, the simplest form of what the bus does for independent subscriptions.
/// Wolverine publishes to its default local queue; with four subscribers its one handler chain runs four handlers per
/// message.
/// </summary>
[MemoryDiagnoser]
public class AsyncEndToEndBenchmarks
{
    private const int Capacity = EventBusOptions.DefaultCapacity;
    private EventEnvelope[] _ring = [];
    private IEventBus _bus = null!;
    private IMediator _massTransit = null!;
    private WolverineCounter _wolverineCounter = null!;
    private IHost _wolverineHost = null!;
    private IMessageBus _wolverine = null!;
    private long _consumed;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.EndToEndEvents))]
    public int Events { get; set; }

    [Params(1, 4)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ring = Envelopes.Ring("bench.async", 4_096, keys: 64);
        _bus = Envelopes.StartedBus();
        for (int i = 0; i < Subscribers; i++)
        {
            _bus.Subscribe("bench.async", _ => Interlocked.Increment(ref _consumed));
        }

        _massTransit = Bus.Factory.CreateMediator(cfg =>
        {
            for (int i = 0; i < Subscribers; i++)
            {
                cfg.Consumer(() => new CountingConsumer(this));
            }
        });
    }

    [GlobalSetup(Target = nameof(Wolverine_PublishAsync))]
    public void SetupWolverine()
    {
        Setup();
        _wolverineCounter = new WolverineCounter();
        _wolverineHost = WolverineHost.Start(Subscribers, _wolverineCounter);
        _wolverine = _wolverineHost.Bus();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_wolverineHost is not null)
        {
            _wolverineHost.StopAsync().GetAwaiter().GetResult();
            _wolverineHost.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    public async Task RawBoundedChannel()
    {
        Channel<EventEnvelope> channel = Channel.CreateBounded<EventEnvelope>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Task consumer = Task.Run(async () =>
        {
            ChannelReader<EventEnvelope> reader = channel.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out EventEnvelope? envelope))
                {
                    NoOp.Touch(envelope);
                }
            }
        });
        ChannelWriter<EventEnvelope> writer = channel.Writer;
        for (int i = 0; i < Events; i++)
        {
            await writer.WriteAsync(_ring[i & 4095]).ConfigureAwait(false);
        }

        writer.Complete();
        await consumer.ConfigureAwait(false);
    }

    [Benchmark]
    public async Task RawFanOut()
    {
        Channel<EventEnvelope>[] channels = new Channel<EventEnvelope>[Subscribers];
        Task[] consumers = new Task[Subscribers];
        for (int s = 0; s < Subscribers; s++)
        {
            Channel<EventEnvelope> channel = Channel.CreateBounded<EventEnvelope>(new BoundedChannelOptions(Capacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            channels[s] = channel;
            consumers[s] = Task.Run(async () =>
            {
                ChannelReader<EventEnvelope> reader = channel.Reader;
                while (await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    while (reader.TryRead(out EventEnvelope? envelope))
                    {
                        NoOp.Touch(envelope);
                    }
                }
            });
        }

        for (int i = 0; i < Events; i++)
        {
            EventEnvelope envelope = _ring[i & 4095];
            foreach (Channel<EventEnvelope> channel in channels)
            {
                if (!channel.Writer.TryWrite(envelope))
                {
                    await channel.Writer.WriteAsync(envelope).ConfigureAwait(false);
                }
            }
        }

        foreach (Channel<EventEnvelope> channel in channels)
        {
            channel.Writer.Complete();
        }

        await Task.WhenAll(consumers).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task EventBus_PublishAsync()
    {
        for (int i = 0; i < Events; i++)
        {
            await _bus.PublishAsync(_ring[i & 4095]).ConfigureAwait(false);
        }

        await _bus.WaitForIdleAsync().ConfigureAwait(false);
    }

    [Benchmark]
    public async Task MassTransit_Mediator()
    {
        // MassTransit's mediator completes Publish once its consumers ran, so this is end to end by construction.
        for (int i = 0; i < Events; i++)
        {
            await _massTransit.Publish(new AsyncMessage(i)).ConfigureAwait(false);
        }
    }

    [Benchmark]
    public async Task Wolverine_PublishAsync()
    {
        // Published to Wolverine's default local queue, whose one chain runs the message's handlers in turn.
        Task handled = _wolverineCounter.Expect((long)Events * Subscribers);
        for (int i = 0; i < Events; i++)
        {
            await _wolverine.PublishAsync(new WolverineMessage(i)).ConfigureAwait(false);
        }

        await handled.ConfigureAwait(false);
    }

    public sealed record AsyncMessage(int Number);

    public sealed class CountingConsumer(AsyncEndToEndBenchmarks owner) : IConsumer<AsyncMessage>
    {
        public Task Consume(ConsumeContext<AsyncMessage> context)
        {
            Interlocked.Increment(ref owner._consumed);
            return Task.CompletedTask;
        }
    }
}
