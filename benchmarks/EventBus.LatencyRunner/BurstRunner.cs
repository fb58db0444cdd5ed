using System.Diagnostics;
using System.Globalization;

namespace EventBus.LatencyRunner;

/// <summary>
/// The burst maximum: events published as fast as possible, then waited for. Measured for the bus and the raw channel in
/// alternating pairs, because this machine's speed moves by up to 2× within minutes; the ratio within a pair is what
/// compares. The process's CPU time per event is printed beside the wall time.
/// </summary>
internal static class BurstRunner
{
    public static async Task RunAsync(Ring ring, int events, int pairs)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Burst maximum, {events:N0} events per run, one no-op subscriber, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine("| pair | bus ns/event (CPU) | raw channel ns/event (CPU) | bus / raw |");
        Console.WriteLine("|---:|---:|---:|---:|");
        for (int pair = 1; pair <= pairs; pair++)
        {
            Burst bus = await MeasureAsync(BusSubject.StartAsync, ring, events);
            Burst raw = await MeasureAsync(RawChannelSubject.StartAsync, ring, events);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pair} | {bus.WallNanosPerEvent:N0} ({bus.CpuNanosPerEvent:N0}) | {raw.WallNanosPerEvent:N0} ({raw.CpuNanosPerEvent:N0}) | {bus.WallNanosPerEvent / raw.WallNanosPerEvent:N2} |"));
        }
    }

    /// <summary>Warms the subject up with a tenth of the events, then times the burst.</summary>
    public static async Task<Burst> MeasureAsync(Func<Action<EventEnvelope>, Task<ILatencySubject>> startSubject, Ring ring, int events)
    {
        await using ILatencySubject subject = await startSubject(static _ => { });
        await PublishAsync(subject, ring, events / 10);
        await subject.WaitForIdleAsync();

        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        await PublishAsync(subject, ring, events);
        await subject.WaitForIdleAsync();
        TimeSpan wall = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        return new Burst(events / wall.TotalSeconds, wall.TotalNanoseconds / events, cpu.TotalNanoseconds / events);
    }

    public static async Task PublishAsync(ILatencySubject subject, Ring ring, int events)
    {
        for (int i = 0; i < events; i++)
        {
            await subject.PublishAsync(ring.Envelopes[i & (Ring.Size - 1)]);
        }
    }

    /// <summary>One burst: its rate, and wall and CPU time per event.</summary>
    public readonly record struct Burst(double EventsPerSecond, double WallNanosPerEvent, double CpuNanosPerEvent);
}
