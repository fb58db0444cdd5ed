using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EventBus;

/// <summary>
/// One lane of a subscription: a channel that routing workers write to and a single loop that runs the handler
/// on each event in turn. A lane never blocks a worker, and a stuck handler holds up only its own lane.
/// </summary>
internal sealed class SubscriptionLane
{
    private readonly Subscription _subscription;

    // Many routing workers write; only this lane's loop reads.
    private readonly Channel<DispatchItem> _channel = Channel.CreateUnbounded<DispatchItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    // Written only by the lane loop; read by counter snapshots.
    private long _delivered;
    private long _failed;

    // 1 while the loop is about to run or is running the handler. Set by the loop, read by UnsubscribeAsync:
    // together with the subscription state this guarantees no invocation starts after removal returns.
    private int _invoking;

    // Installed by UnsubscribeAsync; completed by the loop when the running handler returns.
    private TaskCompletionSource? _notInvoking;

    public SubscriptionLane(Subscription subscription) => _subscription = subscription;

    public long Delivered => Volatile.Read(ref _delivered);

    public long Failed => Volatile.Read(ref _failed);

    public bool TryWrite(in DispatchItem item) => _channel.Writer.TryWrite(item);

    public void Complete() => _channel.Writer.TryComplete();

    public async Task RunAsync()
    {
        Subscription.Current = _subscription;
        ChannelReader<DispatchItem> reader = _channel.Reader;
        ChannelEventBus bus = _subscription.Bus;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (true)
                {
                    if (_subscription.State == SubscriptionState.Paused && !bus.IsStopping)
                    {
                        await _subscription.ResumedTask.ConfigureAwait(false);
                        continue;
                    }

                    if (!reader.TryRead(out DispatchItem item))
                    {
                        break;
                    }

                    await DeliverAsync(item).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _subscription.LaneExited();
        }
    }

    public Task WaitUntilNotInvokingAsync()
    {
        TaskCompletionSource waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _notInvoking, waiter);
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _invoking) == 0 ? Task.CompletedTask : waiter.Task;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DeliverAsync(DispatchItem item)
    {
        ChannelEventBus bus = _subscription.Bus;
        if (bus.IsAbandoned || (bus.IsStopping && _subscription.State == SubscriptionState.Paused))
        {
            _subscription.Discard(item);
            return;
        }

        Interlocked.Exchange(ref _invoking, 1);
        if (_subscription.IsRemoved)
        {
            NotInvoking();
            _subscription.Discard(item);
            return;
        }

        Exception? failure = null;
        try
        {
            await _subscription.Handler(item.Envelope, bus.HandlerCancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _delivered, _delivered + 1);
        }
#pragma warning disable CA1031 // A handler's exception is isolated: logged, counted and reported, never rethrown into the bus.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
            Volatile.Write(ref _failed, _failed + 1);
            Log.HandlerFailed(bus.Logger, exception, _subscription.Id, _subscription.SubscriberId, item.Envelope.Id, item.Envelope.Type);
        }
        finally
        {
            Volatile.Write(ref _invoking, 0);
        }

        // Completed's Interlocked operations fence the flag's store before the removal check below, which is what
        // UnsubscribeAsync's handshake needs, without a barrier of our own on every event.
        _subscription.Completed(item, failure);
        if (_subscription.IsRemoved)
        {
            Volatile.Read(ref _notInvoking)?.TrySetResult();
        }
    }

    private void NotInvoking()
    {
        Volatile.Write(ref _invoking, 0);
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _notInvoking)?.TrySetResult();
    }
}
