using System.Diagnostics;
using EventBus.Sqlite;

namespace EventBus.StoreRunner;

/// <summary>The measured scenarios. Events are built before the clock starts, as a publisher's would be.</summary>
internal static class Scenarios
{
    private const int Workflows = 1_000;

    public static async Task<List<Measurement>> SqliteAsync(int events)
    {
        string directory = Directory.CreateTempSubdirectory("eventbus-store-runner-").FullName;
        try
        {
            List<Measurement> results = [];
            EventEnvelope[] batch = Build(events);
            await using (SqliteEventStore single = Open(Path.Combine(directory, "single.db")))
            {
                results.Add(await TimeAsync("SQLite", "append standard, one call per event", events, async () =>
                {
                    foreach (EventEnvelope envelope in batch)
                    {
                        await single.AppendAsync(envelope);
                    }

                    await single.FlushAsync();
                }, goal: 100_000));
            }

            await using SqliteEventStore store = Open(Path.Combine(directory, "batched.db"));
            results.Add(await TimeAsync("SQLite", "append standard, batches of 1,000", events, async () =>
            {
                for (int i = 0; i < batch.Length; i += 1_000)
                {
                    await store.AppendBatchAsync(new ArraySegment<EventEnvelope>(batch, i, Math.Min(1_000, batch.Length - i)));
                }

                await store.FlushAsync();
            }, goal: 100_000));
            results.Add(await CriticalAsync(store, Math.Min(events, 50_000)));
            results.AddRange(await ReadAsync("SQLite", store, events));
            return results;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    public static async Task<List<Measurement>> InMemoryAsync(int events)
    {
        await using InMemoryEventStore store = new(capacity: events);
        EventEnvelope[] batch = Build(events);
        List<Measurement> results =
        [
            await TimeAsync("in memory", "append, one call per event", events, async () =>
            {
                foreach (EventEnvelope envelope in batch)
                {
                    await store.AppendAsync(envelope);
                }
            }),
        ];
        results.AddRange(await ReadAsync("in memory", store, events));
        return results;
    }

    private static async Task<Measurement> CriticalAsync(SqliteEventStore store, int events)
    {
        EventEnvelope[] batch = Build(events);
        return await TimeAsync("SQLite", "append critical, 16 concurrent publishers (group commit)", events, () =>
            Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
            {
                for (int i = p; i < batch.Length; i += 16)
                {
                    await store.AppendAsync(batch[i], PersistenceLevel.Critical);
                }
            }))));
    }

    private static async Task<List<Measurement>> ReadAsync(string name, IEventStore store, int events)
    {
        List<Measurement> results = [];
        foreach (int pageSize in (int[])[1_000, EventQuery.MaxPageSize])
        {
            long read = 0;
            results.Add(await TimeAsync(name, $"query all by type pattern, pages of {pageSize:N0}", events, async () =>
            {
                EventQuery query = new() { TypePattern = "runner.#", PageSize = pageSize };
                do
                {
                    EventPage page = await store.QueryAsync(query);
                    read += page.Events.Count;
                    query.ContinuationToken = page.ContinuationToken;
                }
                while (query.ContinuationToken is not null);
            }));
            Check(read >= events, $"the query read {read} of {events} events");
        }

        await using IEventBus bus = EventBusFactory.Create(o => o.SubscriptionFullMode = SubscriptionFullMode.Wait);
        await bus.StartAsync();
        long handled = 0;
        bus.Subscribe("#", _ => Interlocked.Increment(ref handled));
        results.Add(await TimeAsync(name, "replay all through the bus to one subscriber, pages of 1,000", events, async () =>
        {
            await new EventReplayer(bus, store).ReplayAsync(new EventQuery { PageSize = 1_000 });
            await bus.WaitForIdleAsync();
        }, goal: 200_000));
        Check(Interlocked.Read(ref handled) >= events, $"the replay delivered {handled} of {events} events");
        return results;
    }

    private static SqliteEventStore Open(string path) => new(new SqliteEventStoreOptions { Path = path });

    private static EventEnvelope[] Build(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EventBuilder(i % 2 == 0 ? "runner.even" : "runner.odd")
            .WithSource("store-runner")
            .WithWorkflow("wf-" + (i % Workflows))
            .WithCorrelation("c-" + (i % 10_000))
            .WithData(new RunnerPayload(i, "payload " + i))
            .Build())];

    private static async Task<Measurement> TimeAsync(string store, string scenario, long events, Func<Task> run, double? goal = null)
    {
        Stopwatch stopwatch = Stopwatch.StartNew();
        await run();
        Measurement measurement = new(store, scenario, events, stopwatch.Elapsed, goal);
        Console.WriteLine($"{store}: {scenario}: {measurement.PerSecond:N0} events/s");
        return measurement;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
