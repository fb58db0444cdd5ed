using System.Collections.Concurrent;
using EventBus.Tests.Support;

namespace EventBus.Tests.Dispatch;

public sealed class OrderingTests
{
    [Fact]
    public async Task ManyKeysUnderConcurrency_EachKeyReachesEverySubscriptionInPublishOrder()
    {
        const int Keys = 64;
        const int PerKey = 400;
        const int Producers = 8;
        await using IEventBus bus = await Buses.StartedAsync(o => { o.WorkerCount = 4; o.SubscriptionFullMode = SubscriptionFullMode.Wait; });
        SequenceRecorder parallel = new(Keys);
        SequenceRecorder sequential = new(Keys);
        Signal done = new(2 * Keys * PerKey);
        bus.Subscribe<Step>(EventFilter.All, (_, step, _) => { parallel.Record(step); done.Hit(); return ValueTask.CompletedTask; }, new SubscriptionOptions { Concurrency = 4 });
        bus.Subscribe<Step>(EventFilter.All, (_, step, _) => { sequential.Record(step); done.Hit(); return ValueTask.CompletedTask; }, options: null);

        // Each producer owns a disjoint set of keys, so publish order per key is well defined.
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (int n = 0; n < PerKey; n++)
            {
                for (int key = p; key < Keys; key += Producers)
                {
                    await bus.PublishAsync(Buses.Event(key: "key-" + key, data: new Step(key, n)));
                }
            }
        })));
        await done.WaitAsync();

        parallel.AssertEveryKeyInOrder(PerKey);
        sequential.AssertEveryKeyInOrder(PerKey);
    }

    [Fact]
    public async Task OnePartitionPassedBetweenPublishersAndItsWorker_KeepsEachKeyInOrder()
    {
        // One worker: a publisher that finds the partition idle routes its event itself, and one that finds it taken
        // leaves the event to the worker. Four publishers contend, so routing changes hands thousands of times.
        const int Producers = 4;
        const int PerProducer = 5_000;
        await using IEventBus bus = await Buses.StartedAsync(o => { o.WorkerCount = 1; o.SubscriptionFullMode = SubscriptionFullMode.Wait; });
        SequenceRecorder seen = new(Producers);
        Signal done = new(Producers * PerProducer);
        bus.Subscribe<Step>(EventFilter.All, (_, step, _) => { seen.Record(step); done.Hit(); return ValueTask.CompletedTask; }, new SubscriptionOptions { Concurrency = 2 });

        // Threads of their own, released together, so that the publishers really contend (pool threads may run them one
        // after another): each publish completes at once, so the loops stay on these threads.
        using Barrier start = new(Producers);
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(
            async () =>
            {
                start.SignalAndWait();
                for (int n = 0; n < PerProducer; n++)
                {
                    await bus.PublishAsync(Buses.Event(key: "key-" + p, data: new Step(p, n)));
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()));
        await done.WaitAsync();
        seen.AssertEveryKeyInOrder(PerProducer);
    }

    [Fact]
    public async Task Backlog_CriticalAndHighAreDispatchedBeforeQueuedNormalAndLow()
    {
        await using IEventBus bus = Buses.Create(o => o.WorkerCount = 1);
        ConcurrentQueue<EventPriority> seen = new();
        Signal done = new(80);
        bus.Subscribe("*", e => { seen.Enqueue(e.Priority); done.Hit(); });

        // The bus is not started, so all of this is backlog when dispatch begins.
        foreach (EventPriority priority in new[] { EventPriority.Low, EventPriority.Normal, EventPriority.High, EventPriority.Critical })
        {
            for (int i = 0; i < 20; i++)
            {
                await bus.PublishAsync(Buses.Event(priority: priority));
            }
        }

        await bus.StartAsync();
        await done.WaitAsync();

        seen.Should().Equal(
            Enumerable.Repeat(EventPriority.Critical, 20)
                .Concat(Enumerable.Repeat(EventPriority.High, 20))
                .Concat(Enumerable.Repeat(EventPriority.Normal, 20))
                .Concat(Enumerable.Repeat(EventPriority.Low, 20)));
    }

    [Fact]
    public async Task Backlog_WithinOnePriority_OrderIsFirstInFirstOut()
    {
        await using IEventBus bus = Buses.Create(o => o.WorkerCount = 1);
        ConcurrentQueue<int> seen = new();
        Signal done = new(50);
        bus.Subscribe<int>((_, n, _) => { seen.Enqueue(n); done.Hit(); return ValueTask.CompletedTask; });

        for (int i = 0; i < 50; i++)
        {
            await bus.PublishAsync(Buses.Event(priority: i % 2 == 0 ? EventPriority.High : EventPriority.Low, data: i));
        }

        await bus.StartAsync();
        await done.WaitAsync();

        seen.Should().Equal(Enumerable.Range(0, 50).Where(i => i % 2 == 0).Concat(Enumerable.Range(0, 50).Where(i => i % 2 == 1)));
    }
}
