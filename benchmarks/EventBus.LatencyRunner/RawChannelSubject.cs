using System.Collections.Concurrent;
using System.Threading.Channels;

namespace EventBus.LatencyRunner;

/// <summary>
/// The floor: one bounded channel of the bus's default capacity, waiting when full, with one consumer that calls the
/// handler. Idle is a marker written behind the events: once the consumer reaches it, everything before it was handled.
/// </summary>
internal sealed class RawChannelSubject : ILatencySubject
{
    private readonly Channel<EventEnvelope?> _channel = Channel.CreateBounded<EventEnvelope?>(new BoundedChannelOptions(EventBusOptions.DefaultCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentQueue<TaskCompletionSource> _idleWaiters = new();
    private readonly Task _consumer;

    private RawChannelSubject(Action<EventEnvelope> handler) => _consumer = Task.Run(() => ConsumeAsync(handler));

    public static Task<ILatencySubject> StartAsync(Action<EventEnvelope> handler) => Task.FromResult<ILatencySubject>(new RawChannelSubject(handler));

    public ValueTask PublishAsync(EventEnvelope envelope) => _channel.Writer.WriteAsync(envelope);

    public async Task WaitForIdleAsync()
    {
        TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _idleWaiters.Enqueue(idle);
        await _channel.Writer.WriteAsync(null);
        await idle.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.Complete();
        await _consumer;
    }

    private async Task ConsumeAsync(Action<EventEnvelope> handler)
    {
        ChannelReader<EventEnvelope?> reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out EventEnvelope? envelope))
            {
                if (envelope is null)
                {
                    _idleWaiters.TryDequeue(out TaskCompletionSource? idle);
                    idle!.SetResult();
                }
                else
                {
                    handler(envelope);
                }
            }
        }
    }
}
