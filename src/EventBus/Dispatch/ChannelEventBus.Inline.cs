namespace EventBus;

/// <summary>
/// Publish-and-wait on an idle bus: the publisher routes the event itself, instead of handing it to a worker, and runs
/// one matching handler on its own thread, instead of handing it to a lane and waiting for the lane's outcome to come
/// back; other matches go to their lanes as usual, so a slow handler still delays only itself. Nothing can be
/// overtaken, because an idle bus holds no earlier event of any key; the lane is taken as the lane loop takes it, so a
/// handler still runs one event at a time; and the handler runs in its lane's execution context, with no
/// synchronization context, so it can not tell the two paths apart.
/// </summary>
internal sealed partial class ChannelEventBus
{
    // Reused by each thread for routing on the publisher's side; emptied before anything runs that could reenter.
    [ThreadStatic]
    private static List<Subscription>? t_matches;

    [ThreadStatic]
    private static List<Subscription>? t_candidates;

    // Events routed by their publishers instead of a worker; Interlocked only. Counted as published.
    private long _routedInline;

    /// <summary>Gets an execution context with nothing in it, captured at start; inline deliveries build their lanes' contexts from it.</summary>
    internal ExecutionContext? EmptyContext { get; private set; }

    /// <summary>Captures <see cref="EmptyContext"/> on a thread-pool thread that nothing flows into.</summary>
    private async Task CaptureEmptyContextAsync()
    {
        if (EmptyContext is not null)
        {
            return;
        }

        Task<ExecutionContext?> capture;
        using (ExecutionContext.SuppressFlow())
        {
            capture = Task.Run(ExecutionContext.Capture);
        }

        EmptyContext = await capture.ConfigureAwait(false);
    }

    /// <summary>
    /// Routes a publish-and-wait event on the caller's thread when the bus is idle, taking one matching subscription's
    /// lane to run it inline when it can. When <paramref name="inline"/> is true the caller then runs
    /// <see cref="FinishInlineAsync"/>. Returns false, having changed nothing, when the bus is not idle.
    /// </summary>
    private bool TryRouteInline(in DispatchItem item, out InlineRoute route, out bool inline)
    {
        route = default;
        inline = false;

        // A caller with a synchronization context (a UI thread, say) is not made to run handler code; neither is one
        // inside a task on another scheduler, which the handler's awaits would capture.
        if (Volatile.Read(ref _outstanding) != 0 || _state != EventBusState.Running ||
            SynchronizationContext.Current is not null || TaskScheduler.Current != TaskScheduler.Default)
        {
            return false;
        }

        List<Subscription> matches = t_matches ??= [];
        List<Subscription> candidates = t_candidates ??= [];
        Match(item.Envelope, matches, candidates);

        // Without a lane to run inline (a subscription whose retries wait, a paused one), the publisher still routes
        // the event itself, to the lanes, as a worker would; the idle bus holds nothing it could overtake.
        int chosen = -1;
        SubscriptionLane? lane = null;
        for (int i = matches.Count - 1; i >= 0; i--)
        {
            if (matches[i].TryClaimInline(item) is { } claimed)
            {
                lane = claimed;
                chosen = i;
                break;
            }
        }

        int matched = matches.Count;

        // Outstanding first, then the state: a stop that begins after this check waits for these deliveries.
        if (matched > 0)
        {
            AdjustOutstanding(matched);
        }

        if (IsStopping)
        {
            if (matched > 0)
            {
                AdjustOutstanding(-matched);
            }

            lane?.ReleaseInline();
            matches.Clear();
            return false;
        }

        Interlocked.Increment(ref _routedInline);
        OnRouted(item.Envelope);
        item.Tracker?.Expect(matched);
        // The event holds no place of the bus (it never entered the backlog), so a full wait-mode subscription that holds
        // one for it reserves it anew.
        for (int i = 0; i < matched; i++)
        {
            if (i != chosen)
            {
                Subscription subscription = matches[i];
                Admission admission = subscription.Admit(item);
                if (admission == Admission.Hold)
                {
                    Backlog.ForceReserve(1);
                }

                subscription.Enqueue(item, admission);
            }
        }

        route = new InlineRoute(lane is null ? null : matches[chosen], lane);
        inline = lane is not null;
        matches.Clear();
        return true;
    }

    /// <summary>Runs the inline delivery; only waiting for it honours the token.</summary>
    private static async ValueTask FinishInlineAsync(InlineRoute route, DispatchItem item, CancellationToken cancellationToken)
    {
        ValueTask delivery = route.Subscription!.BeginInline(route.Lane!, item);
        if (delivery.IsCompletedSuccessfully)
        {
            delivery.GetAwaiter().GetResult();
        }
        else
        {
            // The delivery goes on if the publisher stops waiting, as a queued delivery would.
            await delivery.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What inline routing decided: the subscription and lane taken for the publisher, if any.</summary>
    private readonly record struct InlineRoute(Subscription? Subscription, SubscriptionLane? Lane);
}
