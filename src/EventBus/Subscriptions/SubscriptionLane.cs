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
    private long _filtered;

    public SubscriptionLane(Subscription subscription) => _subscription = subscription;

    public long Delivered => Volatile.Read(ref _delivered);

    public long Failed => Volatile.Read(ref _failed);

    public long Filtered => Volatile.Read(ref _filtered);

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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DeliverAsync(DispatchItem item)
    {
        ChannelEventBus bus = _subscription.Bus;

        // Events still buffered when the subscription is removed, the drain deadline passes, or the bus stops while
        // the subscription is paused, are accounted for and never handled.
        if (_subscription.IsRemoved || bus.IsAbandoned || (bus.IsStopping && _subscription.State == SubscriptionState.Paused))
        {
            _subscription.Discard(item);
            return;
        }

        if (_subscription.AsyncPredicates is { } predicates && !await PassesAsync(predicates, item.Envelope, bus).ConfigureAwait(false))
        {
            Volatile.Write(ref _filtered, _filtered + 1);
            _subscription.Filtered(item);
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

        _subscription.Completed(item, failure);
    }

    /// <summary>Awaits the subscription's asynchronous predicates in order; one that throws is logged and counts as "no".</summary>
    private async ValueTask<bool> PassesAsync(AsyncPredicateFilter[] predicates, EventEnvelope envelope, ChannelEventBus bus)
    {
        foreach (AsyncPredicateFilter predicate in predicates)
        {
            try
            {
                if (!await predicate.Predicate(envelope, bus.HandlerCancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }
#pragma warning disable CA1031 // A user predicate must never take down a lane; it is logged and treated as no match.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.FilterFailed(bus.Logger, exception, _subscription.Id, _subscription.SubscriberId, envelope.Id, envelope.Type);
                return false;
            }
        }

        return true;
    }
}
