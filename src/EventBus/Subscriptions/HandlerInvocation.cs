using System.Diagnostics;

namespace EventBus;

/// <summary>
/// Runs a subscription's code for one delivery: its asynchronous predicates, and one attempt of its handler under the
/// handler timeout, with the process span, the duration histogram and the process metrics. It returns what happened and
/// records no outcome: the lane decides retries and settles the delivery.
/// </summary>
internal static class HandlerInvocation
{
    /// <summary>Runs the handler once, under the subscription's timeout; returns the failure, or null on success.</summary>
    public static async ValueTask<Exception?> AttemptAsync(Subscription subscription, EventEnvelope envelope, int attempt, DurationHistogram durations)
    {
        ChannelEventBus bus = subscription.Bus;
        TimeProvider time = bus.TimeProvider;
        long started = time.GetTimestamp();
        Activity? activity = BusTracing.StartProcess(envelope, subscription.SubscriberId, attempt);
        Exception? failure = null;
        TimeSpan? timeout = subscription.HandlerTimeout;
        CancellationTokenSource? timer = timeout is { } limit ? new CancellationTokenSource(limit, time) : null;
        CancellationTokenSource? linked = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(timer.Token, bus.HandlerCancellationToken);
        try
        {
            await subscription.Handler(envelope, linked?.Token ?? bus.HandlerCancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's exception is isolated: logged, counted, retried or dead-lettered, never rethrown into the bus.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }
        finally
        {
            linked?.Dispose();
        }

        if (timer is not null)
        {
            failure = ClassifyTimeout(subscription, timer, failure, envelope, attempt, bus);
        }

        TimeSpan elapsed = time.GetElapsedTime(started);
        durations.Record(elapsed);
        RecordTelemetry(subscription, bus, activity, envelope, elapsed, failure);
        return failure;
    }

    /// <summary>
    /// A handler that throws once its time is up (as one honouring its token does) fails the attempt as timed out. One
    /// that ignores its token and completes has done its work: repeating it would duplicate it, so it counts as handled,
    /// with a warning. The timer fires on its own thread, so it is read once: reading it twice let a timer that fired
    /// between the reads turn a completed handler into a failed one, which was then retried. Kept out of the async
    /// method, whose hot path it would otherwise lengthen.
    /// </summary>
    private static Exception? ClassifyTimeout(Subscription subscription, CancellationTokenSource timer, Exception? failure, EventEnvelope envelope, int attempt, ChannelEventBus bus)
    {
        bool timedOut = timer.IsCancellationRequested;
        TimeSpan timeout = subscription.HandlerTimeout!.Value;
        timer.Dispose();
        if (!timedOut)
        {
            return failure;
        }

        if (failure is null)
        {
            Log.HandlerOverran(bus.Logger, subscription.Id, subscription.SubscriberId, envelope.Id, envelope.Type, timeout);
            return null;
        }

        return new HandlerTimeoutException(
            $"The handler of subscription {subscription.SubscriberId} ran past its timeout of {timeout} on event '{envelope.Type}' ({envelope.Id}), attempt {attempt}; its token was cancelled. Raise SubscriptionOptions.HandlerTimeout, or make the handler faster.",
            failure);
    }

    private static void RecordTelemetry(Subscription subscription, ChannelEventBus bus, Activity? activity, EventEnvelope envelope, TimeSpan elapsed, Exception? failure)
    {
        BusMetrics metrics = bus.Metrics;
        if (metrics.ProcessDuration.Enabled || metrics.Consumed.Enabled)
        {
            TagList tags = metrics.ProcessTags(envelope, subscription.ConsumerGroup, failure);
            metrics.ProcessDuration.Record(elapsed.TotalSeconds, tags);
            metrics.Consumed.Add(1, tags);
        }

        if (failure is not null)
        {
            BusTracing.Fail(activity, failure);
        }

        activity?.Dispose();
    }

    /// <summary>Awaits the subscription's asynchronous predicates in order; one that throws is logged and counts as "no".</summary>
    public static async ValueTask<bool> PassesAsync(Subscription subscription, AsyncPredicateFilter[] predicates, EventEnvelope envelope)
    {
        ChannelEventBus bus = subscription.Bus;
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
                Log.FilterFailed(bus.Logger, exception, subscription.Id, subscription.SubscriberId, envelope.Id, envelope.Type);
                return false;
            }
        }

        return true;
    }
}
