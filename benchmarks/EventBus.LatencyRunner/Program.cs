using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventBus;
using EventBus.LatencyRunner;
using HdrHistogram;

// Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/EventBus.LatencyRunner              full run (10,000,000-event sustained phase)
//   dotnet run -c Release --project benchmarks/EventBus.LatencyRunner -- --quick   reduced run
//   dotnet run -c Release --project benchmarks/EventBus.LatencyRunner -- --burst-only [--pairs N]
//       only the burst maximum, the bus and the raw channel in N alternating pairs (default 5), with CPU per event;
//       the target to run under a profiler (see benchmarks/README.md)
// Writes benchmarks/results/latency.md (or latency-quick.md); --burst-only prints to the console only.
if (args.Contains("--burst-only"))
{
    int pairs = args.SkipWhile(a => a != "--pairs").Skip(1).Select(int.Parse).FirstOrDefault(5);
    await BurstRunner.RunAsync(new Ring(keys: 64), events: 3_000_000, pairs);
    return 0;
}

bool quick = args.Contains("--quick");
int throughputEvents = quick ? 1_000_000 : 3_000_000;
int latencyEvents = quick ? 200_000 : 1_000_000;
int sustainedEvents = quick ? 2_000_000 : 10_000_000;
Ring ring = new(keys: 64);
StringBuilder report = new();
report.AppendLine(CultureInfo.InvariantCulture, $"# Latency runner ({(quick ? "quick" : "full")})");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, one subscriber with a no-op handler; the bus with 2 workers, capacity 10,000, SubscriptionFullMode.Wait; the raw channel bounded at 10,000 with one consumer.");
report.AppendLine();

// The raw bounded channel is the floor: the same events, capacity and handler, with nothing of the bus around them.
Func<Action<EventEnvelope>, Task<ILatencySubject>> bus = BusSubject.StartAsync;
Func<Action<EventEnvelope>, Task<ILatencySubject>> raw = RawChannelSubject.StartAsync;
double maxRate = await MeasureMaxThroughputAsync(bus, ring, throughputEvents);
double rawMaxRate = await MeasureMaxThroughputAsync(raw, ring, throughputEvents);
report.AppendLine(CultureInfo.InvariantCulture, $"Maximum throughput ({throughputEvents:N0} events published as fast as possible, then waited for): bus **{maxRate:N0} events/s**, raw bounded channel {rawMaxRate:N0} events/s (bus at {maxRate / rawMaxRate:P0} of the channel).");
report.AppendLine();
report.AppendLine("Latency at a share of the bus's maximum; the raw channel is paced at the same rates.");
report.AppendLine();
report.AppendLine("| load | target rate (events/s) | bus achieved | bus p50 (µs) | bus p99 (µs) | bus p99.9 (µs) | bus max (µs) | raw achieved | raw p50 (µs) | raw p99 (µs) | raw p99.9 (µs) | bus p99 / raw p99 |");
report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (double load in new[] { 0.1, 0.5, 0.9 })
{
    (LongHistogram b, double busAchieved) = await MeasureLatencyAsync(bus, ring, maxRate * load, latencyEvents);
    (LongHistogram r, double rawAchieved) = await MeasureLatencyAsync(raw, ring, maxRate * load, latencyEvents);
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {load:P0} | {maxRate * load:N0} | {busAchieved:N0} | {Micros(b.GetValueAtPercentile(50)):N1} | {Micros(b.GetValueAtPercentile(99)):N1} | {Micros(b.GetValueAtPercentile(99.9)):N1} | {Micros(b.GetMaxValue()):N1} | {rawAchieved:N0} | {Micros(r.GetValueAtPercentile(50)):N1} | {Micros(r.GetValueAtPercentile(99)):N1} | {Micros(r.GetValueAtPercentile(99.9)):N1} | {(double)b.GetValueAtPercentile(99) / Math.Max(1, r.GetValueAtPercentile(99)):N2} |");
}

report.AppendLine();
report.Append(await MeasureSustainedAsync(ring, sustainedEvents));

string output = report.ToString();
Console.WriteLine(output);
string results = Path.Combine(FindRepositoryRoot(), "benchmarks", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, quick ? "latency-quick.md" : "latency.md"), output);
return 0;

static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

static async Task<double> MeasureMaxThroughputAsync(Func<Action<EventEnvelope>, Task<ILatencySubject>> startSubject, Ring ring, int events) =>
    (await BurstRunner.MeasureAsync(startSubject, ring, events)).EventsPerSecond;

// Publishes at a fixed rate; each event's latency runs from the moment it was due to be published to the moment
// its handler ran, so a stalled publisher can not hide latency (no coordinated omission).
static async Task<(LongHistogram Histogram, double Achieved)> MeasureLatencyAsync(Func<Action<EventEnvelope>, Task<ILatencySubject>> startSubject, Ring ring, double rate, int events)
{
    LongHistogram histogram = new(Stopwatch.Frequency * 10, 3);
    await using ILatencySubject subject = await startSubject(envelope =>
        histogram.RecordValue(Math.Max(0, Stopwatch.GetTimestamp() - ((LatencyProbe)envelope.Data!).PublishedAt)));

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
        await subject.PublishAsync(ring.Envelopes[slot]);
    }

    await subject.WaitForIdleAsync();
    double achieved = events / Stopwatch.GetElapsedTime(start).TotalSeconds;
    return (histogram, achieved);
}

static async Task<string> MeasureSustainedAsync(Ring ring, int events)
{
    await using ILatencySubject bus = await BusSubject.StartAsync(static _ => { });
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
        await BurstRunner.PublishAsync(bus, ring, step);
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
