using System.Diagnostics;
using System.Globalization;
using EventBus.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventBus.RabbitMqRunner;

/// <summary>
/// The ledger: <c>N</c> events from this process (bus, SQLite outbox, relay) to a consumer process (inbox in its own
/// SQLite store, a handler that writes each sequence to a file). When a quarter of the events was handled the consumer is
/// killed with <c>kill -9</c> and restarted, at a half the broker is restarted, at three quarters the consumer is killed
/// again. Then
/// the ledger file is read: lost = events never handled, duplicates = events handled more than once, and order per key
/// (each key's events are handled in sequence order, counting first handlings).
/// </summary>
internal sealed class Ledger(PrivateRabbitMqNode node, int events, DirectoryInfo folder)
{
    private const int Keys = 1_024;
    private readonly string _ledger = Path.Combine(folder.FullName, "ledger.txt");
    private readonly string _consumerStore = Path.Combine(folder.FullName, "consumer.db");
    private Process? _consumer;

    // Each fault and the ledger's length when it struck: a duplicate is charged to the last fault before it.
    private readonly List<(string Fault, int AtLine)> _faults = [];

    public async Task<IReadOnlyList<string>> RunAsync()
    {
        List<string> report = [];
        _consumer = await StartConsumerAsync();
        string body = new('x', 1_000);
        Stopwatch watch = Stopwatch.StartNew();
        using IHost producer = await Apps.StartAsync(node.Port, o => { o.Exchange = LedgerConsumer.Exchange; o.Publish.Add("#"); }, store: Path.Combine(folder.FullName, "producer.db"), durableStore: true);
        IEventBus bus = producer.Services.GetRequiredService<IEventBus>();
        Task publishing = Task.Run(async () =>
        {
            for (int i = 0; i < events; i++)
            {
                await bus.PublishAsync(new EventBuilder(Apps.Type).WithWorkflow("key-" + (i % Keys)).WithData(new BenchPayload(i, body)).Build());
            }
        });

        // The faults come while events flow end to end: at a quarter, a half and three quarters of the events handled.
        foreach ((double share, bool broker) in new[] { (0.25, false), (0.5, true), (0.75, false) })
        {
            int handled;
            while ((handled = CountLines()) < events * share)
            {
                await Task.Delay(100);
            }

            if (broker)
            {
                await node.StopAsync();
                _faults.Add(("the broker restart", CountLines()));
                await node.StartAsync();
                report.Add($"broker restarted at {handled:N0} handled, {producer.Services.GetRequiredService<ExternalRelays>()[RabbitMQ.RabbitMqPublisher.PublisherName].Sent:N0} confirmed");
            }
            else
            {
                _consumer.Kill();
                await _consumer.WaitForExitAsync();
                _faults.Add(($"the consumer's kill at {share:P0}", CountLines()));
                report.Add($"consumer killed (kill -9) at {handled:N0} handled; restarted");
                _consumer = await StartConsumerAsync();
            }
        }

        await publishing;
        report.Add($"published {events:N0} in {watch.Elapsed.TotalSeconds:N0} s");
        await WaitForAllAsync();
        report.Add($"handled all (or stalled) after {watch.Elapsed.TotalSeconds:N0} s");
        await producer.StopAsync();
        _consumer.Kill();
        await _consumer.WaitForExitAsync();
        report.AddRange(Check());
        return report;
    }

    private async Task<Process> StartConsumerAsync()
    {
        string self = Environment.ProcessPath!;
        ProcessStartInfo start = new(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Ledger).Assembly.Location);
        }

        foreach (string argument in new[] { "--ledger-consumer", node.Port.ToString(CultureInfo.InvariantCulture), _consumerStore, _ledger })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && line != "ready")
        {
        }

        return line == "ready" ? process : throw new InvalidOperationException("The ledger consumer process ended before it was ready.");
    }

    /// <summary>Waits until every event was handled, or nothing new was handled for a minute.</summary>
    private async Task WaitForAllAsync()
    {
        int last = -1;
        long since = Stopwatch.GetTimestamp();
        while (Distinct().Count < events)
        {
            int count = CountLines();
            if (count != last)
            {
                (last, since) = (count, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(since) > TimeSpan.FromMinutes(1))
            {
                return;
            }

            await Task.Delay(1_000);
        }
    }

    private int CountLines() => File.Exists(_ledger) ? File.ReadLines(_ledger).Count() : 0;

    private HashSet<int> Distinct() => File.Exists(_ledger) ? [.. File.ReadLines(_ledger).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))] : [];

    private IEnumerable<string> Check()
    {
        List<int> lines = [.. File.ReadLines(_ledger).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
        HashSet<int> seen = [];
        int[] lastOfKey = Enumerable.Repeat(-1, Keys).ToArray();
        int outOfOrder = 0;
        int[] duplicatesAfter = new int[_faults.Count + 1];
        for (int line = 0; line < lines.Count; line++)
        {
            int sequence = lines[line];
            if (!seen.Add(sequence))
            {
                duplicatesAfter[_faults.Count(fault => fault.AtLine <= line)]++;
            }
            else
            {
                int key = sequence % Keys;
                outOfOrder += sequence < lastOfKey[key] ? 1 : 0;
                lastOfKey[key] = Math.Max(lastOfKey[key], sequence);
            }
        }

        yield return $"lost: {events - seen.Count:N0} of {events:N0}";
        yield return $"duplicates handed to handlers: {lines.Count - seen.Count:N0} ({string.Join(", ", _faults.Select((fault, i) => $"{duplicatesAfter[i + 1]:N0} after {fault.Fault}").Prepend($"{duplicatesAfter[0]:N0} before any fault"))})";
        yield return $"out of order per key (first handlings): {outOfOrder:N0}";
    }
}
