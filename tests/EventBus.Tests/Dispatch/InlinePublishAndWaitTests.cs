using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

/// <summary>
/// Publish-and-wait on an idle bus runs one matching handler on the publisher's thread. These tests pin down when it
/// does, and that the handler can not tell: same context, same counting, one event at a time per lane, order per key.
/// Publishers run inside <c>Task.Run</c>, so that each test knows the thread it publishes from has no synchronization
/// context, which would turn the inline path off.
/// </summary>
public sealed class InlinePublishAndWaitTests
{
    // True on a thread while it is inside a PublishAndWaitAsync call: a handler that sees it ran inline.
    [ThreadStatic]
    private static bool t_publishing;

    [Fact]
    public async Task OnAnIdleBus_TheHandlerRunsInsideThePublishCall_AndIsCountedAsAnyDelivery()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        bool inline = false;
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            inline = t_publishing;
            return ValueTask.CompletedTask;
        });

        (bool completedAtOnce, PublishReport report) = await Task.Run(() => PublishAndWaitNow(bus, Buses.Event()));
        await bus.WaitForIdleAsync().Within();

        inline.Should().BeTrue();
        completedAtOnce.Should().BeTrue("a synchronous handler run inline leaves nothing to wait for");
        report.Succeeded.Should().BeTrue();
        report.HandledCount.Should().Be(1);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 1L, Matched = 1L, Delivered = 1L, Outstanding = 0L, Backlog = 0L });
    }

    [Fact]
    public async Task AnInlineHandler_SeesItsLanesContext_NotThePublishers()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        AsyncLocal<string?> ambient = new();
        ConcurrentQueue<string> seen = [];
        EventEnvelope? nested = null;
        bus.Subscribe(EventFilter.Type("outer.event"), async (_, ct) =>
        {
            seen.Enqueue($"inline={t_publishing}");
            seen.Enqueue($"ambient={ambient.Value ?? "none"}");
            seen.Enqueue($"sync={SynchronizationContext.Current?.GetType().Name ?? "none"}");
            seen.Enqueue($"context={EventContext.CurrentValues?.Count ?? 0}");
            await bus.PublishAsync(new EventBuilder("inner.event").Build(), ct);
        });
        bus.Subscribe(EventFilter.Type("inner.event"), (e, _) =>
        {
            nested = e;
            return ValueTask.CompletedTask;
        });

        await Task.Run(async () =>
        {
            ambient.Value = "publisher";
            using (EventContext.Begin(userId: "u-1", requestId: "r-1"))
            {
                await StartMarked(bus, Buses.Event("outer.event"));
            }
        });
        await bus.WaitForIdleAsync().Within();

        seen.Should().Equal("inline=True", "ambient=none", "sync=none", "context=0");
        nested!.Metadata.Should().NotContainKey(EventContext.UserIdKey, "the publisher's ambient metadata does not reach what its handlers publish");
    }

    [Fact]
    public async Task WithASynchronizationContext_OrABusyBus_OrADelayingRetry_TheHandlerRunsOnItsLane()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<bool> inline = [];
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(EventFilter.Type("plain.event"), (_, _) =>
        {
            inline.Enqueue(t_publishing);
            return ValueTask.CompletedTask;
        });
        bus.Subscribe(EventFilter.Type("delayed.event"), (_, _) =>
        {
            inline.Enqueue(t_publishing);
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { Retry = RetryPolicy.Exponential(3, TimeSpan.FromSeconds(1)) });
        bus.Subscribe(EventFilter.Type("blocking.event"), async (_, _) => await gate.Task);

        await Task.Run(async () =>
        {
            // A thread with a synchronization context (a UI thread, say) is never made to run handler code.
            SynchronizationContext.SetSynchronizationContext(new SynchronizationContext());
            await PublishAndWaitMarked(bus, Buses.Event("plain.event"));
        });
        await Task.Run(() => PublishAndWaitMarked(bus, Buses.Event("delayed.event")));
        await bus.PublishAsync(Buses.Event("blocking.event"));
        await Task.Run(() => PublishAndWaitMarked(bus, Buses.Event("plain.event")));
        gate.SetResult();
        await bus.WaitForIdleAsync().Within();

        inline.Should().Equal(false, false, false);
    }

    [Fact]
    public async Task ImmediateRetries_RunInline_UntilTheHandlerSucceeds()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        List<bool> attempts = [];
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            attempts.Add(t_publishing);
            return attempts.Count < 3 ? throw new InvalidOperationException("flaky") : ValueTask.CompletedTask;
        }, new SubscriptionOptions { Retry = RetryPolicy.Fixed(3, TimeSpan.Zero) });

        (bool completedAtOnce, PublishReport report) = await Task.Run(() => PublishAndWaitNow(bus, Buses.Event()));

        completedAtOnce.Should().BeTrue();
        report.Succeeded.Should().BeTrue();
        attempts.Should().Equal(true, true, true);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0, Retried = 2 });
    }

    [Fact]
    public async Task WithSeveralMatches_OneRunsInline_AndTheReportHasEveryOutcome()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ConcurrentQueue<bool> inline = [];
        for (int i = 0; i < 3; i++)
        {
            bus.Subscribe(EventFilter.All, (_, _) =>
            {
                inline.Enqueue(t_publishing);
                return ValueTask.CompletedTask;
            });
        }

        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"));

        PublishReport report = await Task.Run(() => PublishAndWaitMarked(bus, Buses.Event()));
        await bus.WaitForIdleAsync().Within();

        report.Outcomes.Should().HaveCount(4);
        report.HandledCount.Should().Be(3);
        report.FailedCount.Should().Be(1);
        inline.Count(i => i).Should().BeLessThanOrEqualTo(1, "the others run on their own lanes, so a slow one delays only itself");
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 1L, Matched = 4L, Delivered = 3L, Failed = 1L, Outstanding = 0L });
    }

    [Fact]
    public async Task NoMatchingSubscription_CompletesAtOnce_AndCountsThePublish()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe(EventFilter.Type("other.event"), (_, _) => ValueTask.CompletedTask);

        (bool completedAtOnce, PublishReport report) = await Task.Run(() => PublishAndWaitNow(bus, Buses.Event("lonely.event")));

        completedAtOnce.Should().BeTrue();
        report.Outcomes.Should().BeEmpty();
        bus.GetStatistics().Should().BeEquivalentTo(new { Published = 1L, Matched = 0L, Outstanding = 0L });
    }

    [Fact]
    public async Task CancellingTheWait_LeavesTheInlineDeliveryRunning_AndCounted()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal entered = new(1);
        bool inline = false;
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            inline = t_publishing;
            entered.Hit();
            await gate.Task;
        });
        using CancellationTokenSource cancel = new();

        Task<PublishReport> publish = Task.Run(async () => await StartMarked(bus, Buses.Event(), cancel.Token));
        await entered.WaitAsync();
        await cancel.CancelAsync();

        await publish.Awaiting(p => p).Should().ThrowAsync<OperationCanceledException>();
        bus.GetStatistics().Outstanding.Should().Be(1, "the handler is still running");
        gate.SetResult();
        await bus.WaitForIdleAsync().Within();

        inline.Should().BeTrue();
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = 1, Delivered = 1, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
    }

    [Fact]
    public async Task AnInlineHandler_ThatRemovesItsOwnSubscription_DoesNotWaitForItself()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        ISubscription? self = null;
        bool inline = false;
        self = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            inline = t_publishing;
            await self!.UnsubscribeAsync();
        });

        PublishReport report = await Task.Run(() => PublishAndWaitMarked(bus, Buses.Event())).Within();

        inline.Should().BeTrue();
        report.Succeeded.Should().BeTrue();
        self.State.Should().Be(SubscriptionState.Removed);
        bus.Subscriptions.Should().BeEmpty();
    }

    [Fact]
    public async Task RemovingASubscription_WaitsForItsInlineDelivery()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal entered = new(1);
        Task? removal = null;
        bool removalDoneWhileHandling = true;
        bool finished = false;
        ISubscription subscription = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            entered.Hit();
            await gate.Task;
            removalDoneWhileHandling = removal!.IsCompleted;
            finished = true;
        });

        Task<PublishReport> publish = Task.Run(() => PublishAndWaitMarked(bus, Buses.Event()));
        await entered.WaitAsync();
        removal = subscription.UnsubscribeAsync().AsTask();
        gate.SetResult();
        await removal.Within();

        finished.Should().BeTrue("UnsubscribeAsync returns only when the handler is not running");
        removalDoneWhileHandling.Should().BeFalse();
        (await publish.Within()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task MixedPublishes_NeverRunALaneTwiceAtOnce_AndKeepOrderPerKey()
    {
        const int Producers = 4;
        const int PerProducer = 20_000;
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        int inside = 0;
        int overlaps = 0;
        int inlineRuns = 0;
        SequenceRecorder order = new(Producers);
        bus.Subscribe<Step>(EventFilter.All, async (_, step, _) =>
        {
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            if (t_publishing)
            {
                Interlocked.Increment(ref inlineRuns);
            }

            order.Record(step);

            // Going asynchronous keeps an inline delivery holding the lane while other publishes arrive.
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        }, options: null);

        // Each producer owns a key and awaits every publish in turn: two only publish and wait (inline whenever the
        // bus is idle), two alternate fire-and-forget publishes with publish-and-wait on the same key.
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (int n = 0; n < PerProducer; n++)
            {
                EventEnvelope envelope = Buses.Event(key: "key-" + p, data: new Step(p, n));
                if (p >= 2 && n % 2 == 0)
                {
                    await bus.PublishAsync(envelope);
                }
                else
                {
                    await PublishAndWaitMarked(bus, envelope);
                }
            }
        }))).Within();
        await bus.WaitForIdleAsync().Within();

        overlaps.Should().Be(0, "a lane runs one event at a time, whoever runs it");
        order.AssertEveryKeyInOrder(PerProducer);
        bus.Subscriptions[0].Counters.Should().Be(new SubscriptionCounters { Matched = Producers * PerProducer, Delivered = Producers * PerProducer, Failed = 0, Dropped = 0, Unhandled = 0, Pending = 0 });
        inlineRuns.Should().BeGreaterThan(0, "some publishes found the bus idle");
    }

    [Fact]
    public async Task UnderSubscriptionChurn_WaitsAlwaysEnd_AndEveryDeliveryIsCounted()
    {
        const int Producers = 3;
        const int PerProducer = 20_000;
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        int steadySeen = 0;
        bus.Subscribe(EventFilter.All, (_, _) =>
        {
            Interlocked.Increment(ref steadySeen);
            return ValueTask.CompletedTask;
        }, new SubscriptionOptions { SubscriberId = "steady", FullMode = SubscriptionFullMode.Wait });
        int producersDone = 0;
        long outcomes = 0;
        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (int n = 0; n < PerProducer; n++)
            {
                EventEnvelope envelope = Buses.Event(key: "key-" + (n % 17), data: n);
                if ((n + p) % 3 == 0)
                {
                    await bus.PublishAsync(envelope);
                }
                else
                {
                    Interlocked.Add(ref outcomes, (await PublishAndWaitMarked(bus, envelope)).Outcomes.Count);
                }
            }

            Interlocked.Increment(ref producersDone);
        }))];

        // Subscriptions come and go while the producers run; each removal must end the waits for its deliveries.
        List<ISubscription> churned = [];
        Random random = new(20261201);
        while (Volatile.Read(ref producersDone) < Producers)
        {
            if (churned.Count < 6 && random.Next(2) == 0)
            {
                churned.Add(bus.Subscribe(EventFilter.All, async (_, _) =>
                {
                    if (random.Next(4) == 0)
                    {
                        await Task.Yield();
                    }
                }, new SubscriptionOptions { Concurrency = 1 + random.Next(2) }));
            }
            else if (churned.Count > 0)
            {
                ISubscription removed = churned[random.Next(churned.Count)];
                churned.Remove(removed);
                await removed.UnsubscribeAsync();
            }

            await Task.Yield();
        }

        await Task.WhenAll(producers).Within();
        await bus.WaitForIdleAsync().Within();

        steadySeen.Should().Be(Producers * PerProducer);
        outcomes.Should().BeGreaterThanOrEqualTo(Producers * PerProducer * 2 / 3, "every report holds at least the steady subscription's outcome");
        EventBusStatistics statistics = bus.GetStatistics();
        statistics.Published.Should().Be(Producers * PerProducer);
        statistics.Outstanding.Should().Be(0);
        statistics.Matched.Should().Be(statistics.Delivered + statistics.Failed + statistics.SubscriptionDropped + statistics.Unhandled, System.Text.Json.JsonSerializer.Serialize(statistics));
    }

    /// <summary>Starts a publish-and-wait with the inline marker set during the call, as the handler sees it.</summary>
    private static ValueTask<PublishReport> StartMarked(IEventBus bus, EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        t_publishing = true;
        try
        {
            return bus.PublishAndWaitAsync(envelope, cancellationToken);
        }
        finally
        {
            t_publishing = false;
        }
    }

    private static async Task<PublishReport> PublishAndWaitMarked(IEventBus bus, EventEnvelope envelope) => await StartMarked(bus, envelope);

    /// <summary>Publishes and waits, telling whether the report was ready when the call returned.</summary>
    private static (bool CompletedAtOnce, PublishReport Report) PublishAndWaitNow(IEventBus bus, EventEnvelope envelope)
    {
        ValueTask<PublishReport> publish = StartMarked(bus, envelope);
        bool completed = publish.IsCompletedSuccessfully;
        return (completed, publish.AsTask().GetAwaiter().GetResult());
    }
}
