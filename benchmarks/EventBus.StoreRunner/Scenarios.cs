using System.Diagnostics;
using EventBus.PostgreSql;
using EventBus.Sqlite;
using EventBus.Testing.Brokers;

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
            await using (SqliteEventStore single = Open(Path.Combine(directory, "single.db")))
            {
                results.Add(await OneByOneAsync("SQLite", single, events, goal: 100_000));
            }

            await using SqliteEventStore store = Open(Path.Combine(directory, "batched.db"));
            results.Add(await BatchesAsync("SQLite", store, events, goal: 100_000));
            results.Add(await CriticalAsync("SQLite", store, Math.Min(events, 50_000), goal: null));
            results.AddRange(await ReadAsync("SQLite", store, events));
            results.Add(await StreamFromSnapshotAsync("SQLite", store));
            return results;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The same measures on a private PostgreSQL server (Debian's postgresql, started for the run).</summary>
    public static async Task<List<Measurement>> PostgreSqlAsync(int events)
    {
        // Settings a production server on this machine would have (fsync and synchronous commits stay on): more shared
        // buffers than the 128 MB default, and checkpoints spaced out, so that 1,000,000 events do not force several.
        await using PrivatePostgresServer server = new("shared_buffers=4GB", "max_wal_size=8GB", "checkpoint_timeout=30min", "wal_compression=lz4");
        await server.InitializeAsync();
        List<Measurement> results = [];
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Catalog = Catalog() });
        results.Add(await BatchesAsync("PostgreSQL", store, events, goal: 50_000));

        // After the bulk load, the server's autovacuum would vacuum the table and gather the planner's statistics within
        // a minute, competing with what is measured next; as pgbench does before its runs, do it now.
        await using (Npgsql.NpgsqlDataSource database = Npgsql.NpgsqlDataSource.Create(server.ConnectionString))
        await using (Npgsql.NpgsqlCommand vacuum = database.CreateCommand("VACUUM ANALYZE eventbus.events"))
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        results.Add(await CriticalAsync("PostgreSQL", store, Math.Min(events, 20_000), goal: 10_000));
        results.AddRange(await ReadAsync("PostgreSQL", store, events));
        results.Add(await StreamFromSnapshotAsync("PostgreSQL", store));
        return results;
    }

    public static async Task<List<Measurement>> InMemoryAsync(int events)
    {
        await using InMemoryEventStore store = new(capacity: events);
        List<Measurement> results = [await OneByOneAsync("in memory", store, events, goal: null)];
        results.AddRange(await ReadAsync("in memory", store, events));
        return results;
    }

    /// <summary>Appends <paramref name="events"/> one call each and flushes; the events live only as long as this call.</summary>
    private static async Task<Measurement> OneByOneAsync(string name, IEventStore store, int events, double? goal)
    {
        EventEnvelope[] batch = Build(events);
        return await TimeAsync(name, "append standard, one call per event", events, async () =>
        {
            foreach (EventEnvelope envelope in batch)
            {
                await store.AppendAsync(envelope);
            }

            await store.FlushAsync();
        }, goal);
    }

    /// <summary>
    /// Appends <paramref name="events"/> in batches of 1,000 and flushes. The events live only as long as this call, so
    /// that the scenarios after it do not run with a million envelopes on the heap.
    /// </summary>
    private static async Task<Measurement> BatchesAsync(string name, IEventStore store, int events, double goal)
    {
        EventEnvelope[] batch = Build(events);
        return await TimeAsync(name, "append standard, batches of 1,000", events, async () =>
        {
            for (int i = 0; i < batch.Length; i += 1_000)
            {
                await store.AppendBatchAsync(new ArraySegment<EventEnvelope>(batch, i, Math.Min(1_000, batch.Length - i)));
            }

            await store.FlushAsync();
        }, goal);
    }

    private static async Task<Measurement> CriticalAsync(string name, IEventStore store, int events, double? goal)
    {
        EventEnvelope[] batch = Build(events);
        return await TimeAsync(name, "append critical, 16 concurrent publishers (group commit)", events, () =>
            Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
            {
                for (int i = p; i < batch.Length; i += 16)
                {
                    await store.AppendAsync(batch[i], PersistenceLevel.Critical);
                }
            }))), goal);
    }

    /// <summary>
    /// A stream of 11,000 events with a snapshot at 1,000 is appended, then rebuilt with FoldStreamAsync: the snapshot and
    /// the 10,000 events after it. The goal, 20 ms for those 10,000 events, is 500,000 events/s.
    /// </summary>
    private static async Task<Measurement> StreamFromSnapshotAsync(string name, IEventStore store)
    {
        const int Length = 11_000;
        const int Snapshot = 1_000;
        IEventStreamStore streams = (IEventStreamStore)store;
        string stream = "stream-" + Guid.NewGuid().ToString("N");
        EventEnvelope[] events = Build(Length);
        for (int i = 0; i < Length; i += 1_000)
        {
            await streams.AppendToStreamAsync(stream, i, new ArraySegment<EventEnvelope>(events, i, 1_000));
        }

        await ((ISnapshotStore)store).SaveSnapshotAsync(stream, Snapshot, (long)Snapshot);

        // Twenty rebuilds first, as a BenchmarkDotNet warm-up would (the tiered JIT recompiles the hot code at full
        // optimization after its first calls), then the median of five.
        const int WarmUp = 20;
        CollectGarbage();
        List<Measurement> runs = [];
        for (int run = 0; run < WarmUp + 5; run++)
        {
            StreamState<long> state = default!;
            Stopwatch stopwatch = Stopwatch.StartNew();
            // Each event counts only if its payload was read as the declared type, as a real fold would use it.
            state = await streams.FoldStreamAsync(stream, 0L, (count, e) => e.Data is RunnerPayload ? count + 1 : count);
            runs.Add(new Measurement(name, "stream: snapshot, then read and apply the 10,000 events after it (median of 5, warm)", Length - Snapshot, stopwatch.Elapsed, 500_000));
            Check(state.State == Length && state.FromSnapshot == Snapshot, $"the fold counted {state.State} events from snapshot {state.FromSnapshot}");
        }

        Measurement median = runs.Skip(WarmUp).OrderBy(r => r.Elapsed).ElementAt(2);
        Console.WriteLine($"{name}: stream rebuild took {median.Elapsed.TotalMilliseconds:N1} ms (median of 5 after {WarmUp} warm-up runs; goal 20 ms)");
        return median;
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

    private static SqliteEventStore Open(string path) => new(new SqliteEventStoreOptions { Path = path, Catalog = Catalog() });

    /// <summary>Declares the payload type, so that every read decodes it as an application's would (an undeclared one reads as unreadable, skipping the JSON).</summary>
    private static EventCatalog Catalog() => new EventCatalog(includeStandardEvents: false).Register<RunnerPayload>();

    private static EventEnvelope[] Build(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EventBuilder(i % 2 == 0 ? "runner.even" : "runner.odd")
            .WithSource("store-runner")
            .WithWorkflow("wf-" + (i % Workflows))
            .WithCorrelation("c-" + (i % 10_000))
            .WithData(new RunnerPayload(i, "payload " + i))
            .Build())];

    private static async Task<Measurement> TimeAsync(string store, string scenario, long events, Func<Task> run, double? goal = null)
    {
        CollectGarbage();
        Stopwatch stopwatch = Stopwatch.StartNew();
        await run();
        Measurement measurement = new(store, scenario, events, stopwatch.Elapsed, goal);
        Console.WriteLine($"{store}: {scenario}: {measurement.PerSecond:N0} events/s");
        return measurement;
    }

    /// <summary>Each scenario starts on a collected heap, as BenchmarkDotNet does between iterations, not paying for the garbage of the one before.</summary>
    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
