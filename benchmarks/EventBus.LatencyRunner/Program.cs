using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventBus;
using EventBus.LatencyRunner;
using HdrHistogram;

// Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/EventBus.LatencyRunner              full run (10,000,000-event sustained phase)
//   dotnet run -c Release --project benchmarks/EventBus.LatencyRunner -- --quick   reduced run
// Writes benchmarks/results/latency.md (or latency-quick.md).
bool quick = args.Contains("--quick");
int throughputEvents = quick ? 1_000_000 : 3_000_000;
int latencyEvents = quick ? 200_000 : 1_000_000;
int sustainedEvents = quick ? 2_000_000 : 10_000_000;
Ring ring = new(keys: 64);
StringBuilder report = new();
report.AppendLine(CultureInfo.InvariantCulture, $"# Latency runner ({(quick ? "quick" : "full")})");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, one subscriber with a no-op handler, 2 workers, capacity 10,000, SubscriptionFullMode.Wait.");
report.AppendLine();

double maxRate = await MeasureMaxThroughputAsync(ring, throughputEvents);
report.AppendLine(CultureInfo.InvariantCulture, $"Maximum throughput: **{maxRate:N0} events/s** ({throughputEvents:N0} events published as fast as possible, then waited for).");
report.AppendLine();
report.AppendLine("| load | target rate (events/s) | achieved (events/s) | p50 (µs) | p99 (µs) | p99.9 (µs) | max (µs) |");
report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
foreach (double load in new[] { 0.1, 0.5, 0.9 })
{
    (LongHistogram histogram, double achieved) = await MeasureLatencyAsync(ring, maxRate * load, latencyEvents);
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {load:P0} | {maxRate * load:N0} | {achieved:N0} | {Micros(histogram.GetValueAtPercentile(50)):N1} | {Micros(histogram.GetValueAtPercentile(99)):N1} | {Micros(histogram.GetValueAtPercentile(99.9)):N1} | {Micros(histogram.GetMaxValue()):N1} |");
}

report.AppendLine();
report.Append(await MeasureSustainedAsync(ring, sustainedEvents));

string output = report.ToString();
Console.WriteLine(output);
string results = Path.Combine(FindRepositoryRoot(), "benchmarks", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, quick ? "latency-quick.md" : "latency.md"), output);
return 0;

static IEventBus NewBus() => EventBusFactory.Create(o =>
{
    o.WorkerCount = 2;
    o.SubscriptionFullMode = SubscriptionFullMode.Wait;
});

static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

static async Task<double> MeasureMaxThroughputAsync(Ring ring, int events)
{
    await using IEventBus bus = NewBus();
    await bus.StartAsync();
    bus.Subscribe("latency.probe", _ => { });
    await PublishAsync(bus, ring, events / 10);
    await bus.WaitForIdleAsync();

    long start = Stopwatch.GetTimestamp();
    await PublishAsync(bus, ring, events);
    await bus.WaitForIdleAsync();
    return events / Stopwatch.GetElapsedTime(start).TotalSeconds;
}

static async Task PublishAsync(IEventBus bus, Ring ring, int events)
{
    for (int i = 0; i < events; i++)
    {
        await bus.PublishAsync(ring.Envelopes[i & (Ring.Size - 1)]);
    }
}

// Publishes at a fixed rate; each event's latency runs from the moment it was due to be published to the moment
// its handler ran, so a stalled publisher can not hide latency (no coordinated omission).
static async Task<(LongHistogram Histogram, double Achieved)> MeasureLatencyAsync(Ring ring, double rate, int events)
{
    LongHistogram histogram = new(Stopwatch.Frequency * 10, 3);
    await using IEventBus bus = NewBus();
    await bus.StartAsync();
    bus.Subscribe<LatencyProbe>((_, probe, _) =>
    {
        histogram.RecordValue(Math.Max(0, Stopwatch.GetTimestamp() - probe.PublishedAt));
        return ValueTask.CompletedTask;
    });

    double ticksPerEvent = Stopwatch.Frequency / rate;
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < events; i++)
    {
        long due = start + (long)(i * ticksPerEvent);
        // Yield rather than spin: on a small machine a spinning publisher would take a core from the bus it measures.
        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.Yield();
        }

        int slot = i & (Ring.Size - 1);
        ring.Probes[slot].PublishedAt = due;
        await bus.PublishAsync(ring.Envelopes[slot]);
    }

    await bus.WaitForIdleAsync();
    double achieved = events / Stopwatch.GetElapsedTime(start).TotalSeconds;
    return (histogram, achieved);
}

static async Task<string> MeasureSustainedAsync(Ring ring, int events)
{
    await using IEventBus bus = NewBus();
    await bus.StartAsync();
    bus.Subscribe("latency.probe", _ => { });
    StringBuilder table = new();
    table.AppendLine(CultureInfo.InvariantCulture, $"Sustained run: {events:N0} events at full speed; working set sampled every 10%.");
    table.AppendLine();
    table.AppendLine("| events so far | working set (MiB) | allocated per million events (bytes) | gen0 / gen1 / gen2 GCs per million |");
    table.AppendLine("|---:|---:|---:|---:|");
    int step = events / 10;
    for (int done = 0; done < events; done += step)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        await PublishAsync(bus, ring, step);
        await bus.WaitForIdleAsync();
        double millions = step / 1_000_000.0;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using Process self = Process.GetCurrentProcess();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {done + step:N0} | {self.WorkingSet64 / (1024.0 * 1024.0):N1} | {allocated / millions:N0} | {(GC.CollectionCount(0) - gen0) / millions:N1} / {(GC.CollectionCount(1) - gen1) / millions:N1} / {(GC.CollectionCount(2) - gen2) / millions:N1} |");
    }

    return table.ToString();
}

static string FindRepositoryRoot()
{
    DirectoryInfo? directory = new(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventBus.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? Directory.GetCurrentDirectory();
}
