using System.Diagnostics;
using System.Globalization;
using EventBus;
using EventBus.RabbitMQ;
using EventBus.RabbitMqRunner;
using EventBus.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

// Throughput and latency of the RabbitMQ transport against a private broker node (Debian's rabbitmq-server):
//   dotnet run -c Release --project benchmarks/EventBus.RabbitMqRunner [-- --events N]
// 1. raw RabbitMQ.Client publishing with confirms (512 in flight): the baseline;
// 2. confirmed publishes through the bus's relay (bus.PublishAsync until every event is confirmed);
// 3. end to end: producer bus -> relay -> broker -> consumer queue -> inbox -> consumer bus -> handler;
// 4. latency end to end at half the end-to-end throughput, p50 / p99.
// With --ledger: the ledger instead (see Ledger.cs): events across two processes through a broker restart and two kill -9.
// --latency-only [--rate R]: only the latency, at R events/s (4,000 by default); with --raw the raw client's latency at the
// same rate first (the floor), with --raw-only that alone (--raw-size B: its messages' size, 1,024 bytes by default);
// --raw-consumer: a plain client consumer instead of the transport's, to measure the producer's part alone.
// --classic: classic queues instead of quorum ones; --memory-outbox: the producer keeps no store;
// --events-per-message N: the relay packs up to N events into one message (RabbitMqOptions.EventsPerMessage).
if (args is ["--ledger-consumer", string consumerPort, string consumerStore, string ledgerFile])
{
    return await LedgerConsumer.RunAsync(int.Parse(consumerPort, CultureInfo.InvariantCulture), consumerStore, ledgerFile);
}

int events = args is ["--events", string count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 100_000;
Apps.Classic = args.Contains("--classic");
Apps.MemoryOutbox = args.Contains("--memory-outbox");
int perMessage = Array.IndexOf(args, "--events-per-message");
Apps.EventsPerMessage = perMessage >= 0 ? int.Parse(args[perMessage + 1], CultureInfo.InvariantCulture) : 1;
DirectoryInfo stores = Directory.CreateTempSubdirectory("eventbus-runner-");
string body = new('x', 1_000);
await using PrivateRabbitMqNode node = new();
await node.InitializeAsync();
if (args.Contains("--latency-only"))
{
    int rateAt = Array.IndexOf(args, "--rate");
    double latencyRate = rateAt >= 0 ? double.Parse(args[rateAt + 1], CultureInfo.InvariantCulture) : 4_000;
    if (args.Contains("--raw") || args.Contains("--raw-only"))
    {
        (double r50, double r99, int rn) = await RawLatencyAsync(latencyRate);
        Console.WriteLine($"raw client latency at {latencyRate:N0} msg/s ({rn:N0} messages): p50 {r50:N2} ms, p99 {r99:N2} ms");
    }

    if (args.Contains("--raw-only"))
    {
        return 0;
    }

    (double l50, double l99, int n) = await LatencyAsync(latencyRate);
    Console.WriteLine($"latency at {latencyRate:N0} events/s ({n:N0} events): p50 {l50:N2} ms, p99 {l99:N2} ms");
    return 0;
}

if (args.Contains("--relay-only"))
{
    Console.WriteLine($"raw {await RawAsync():N0} msg/s; relay {await RelayAsync():N0} events/s");
    return 0;
}

if (args.Contains("--ledger"))
{
    foreach (string line in await new Ledger(node, events, stores).RunAsync())
    {
        Console.WriteLine(line);
    }

    return 0;
}

List<string> lines = [$"RabbitMQ transport, {events:N0} events of about 1 KiB, private node, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}", ""];

double raw = await RawAsync();
lines.Add($"raw RabbitMQ.Client, confirms, 512 in flight: {raw:N0} msg/s (baseline)");
double relay = await RelayAsync();
lines.Add($"bus relay, confirmed publishes:              {relay:N0} events/s ({relay / raw:P0} of raw)");
double endToEnd = await EndToEndAsync();
lines.Add($"end to end (relay, broker, inbox, handler):  {endToEnd:N0} events/s");
(double p50, double p99, int measured) = await LatencyAsync(endToEnd / 2);
lines.Add($"latency end to end at {endToEnd / 2:N0} events/s ({measured:N0} events): p50 {p50:N2} ms, p99 {p99:N2} ms");
if (Apps.EventsPerMessage == 1)
{
    // The floor at the same rate: the broker and the client alone, one 1 KiB message per event as the bus sends them.
    (double raw50, double raw99, _) = await RawLatencyAsync(endToEnd / 2);
    lines.Add($"raw client latency at the same rate:        p50 {raw50:N2} ms, p99 {raw99:N2} ms (the floor)");
}

lines.Add($"outbox: {(Apps.MemoryOutbox ? "in memory" : "SQLite store (durable)")}; queues: {(Apps.Classic ? "classic" : "quorum, delivery limit 5")}; up to {Apps.EventsPerMessage} events per message");
foreach (string line in lines)
{
    Console.WriteLine(line);
}

return 0;

async Task<double> RawAsync()
{
    await using IConnection connection = await new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port }.CreateConnectionAsync();
    await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null));
    await channel.ExchangeDeclareAsync("raw", ExchangeType.Topic, durable: true);
    await channel.QueueDeclareAsync("raw", durable: true, exclusive: false, autoDelete: false, arguments: Apps.QueueArguments);
    await channel.QueueBindAsync("raw", "raw", "#");
    byte[] payload = new byte[1_024];
    BasicProperties properties = new() { Persistent = true };
    Queue<Task> inFlight = new();
    Stopwatch watch = Stopwatch.StartNew();
    for (int i = 0; i < events; i++)
    {
        if (inFlight.Count == 512)
        {
            await inFlight.Dequeue();
        }

        inFlight.Enqueue(channel.BasicPublishAsync("raw", Apps.Type, mandatory: false, properties, payload).AsTask());
    }

    await Task.WhenAll(inFlight);
    double rate = events / watch.Elapsed.TotalSeconds;
    await channel.QueueDeleteAsync("raw");
    return rate;
}

async Task<double> RelayAsync()
{
    await DeclareSinkAsync("relay", "relay-sink");
    using IHost producer = await Apps.StartAsync(node.Port, o => { o.Exchange = "relay"; o.Publish.Add("#"); }, store: Path.Combine(stores.FullName, "relay.db"));
    IEventBus bus = producer.Services.GetRequiredService<IEventBus>();
    Stopwatch watch = Stopwatch.StartNew();
    for (int i = 0; i < events; i++)
    {
        await bus.PublishAsync(Apps.Event(i, body));
    }

    await SentAsync(producer, events);
    double rate = events / watch.Elapsed.TotalSeconds;
    await producer.StopAsync();
    return rate;
}

async Task<double> EndToEndAsync()
{
    (IHost consumer, Task all) = await Apps.StartConsumerAsync(node.Port, "e2e", events);
    using IHost consumerHost = consumer;
    using IHost producer = await Apps.StartAsync(node.Port, o => { o.Exchange = "e2e"; o.Publish.Add("#"); }, store: Path.Combine(stores.FullName, "e2e.db"));
    IEventBus bus = producer.Services.GetRequiredService<IEventBus>();
    Stopwatch watch = Stopwatch.StartNew();
    for (int i = 0; i < events; i++)
    {
        await bus.PublishAsync(Apps.Event(i, body));
    }

    await all.WaitAsync(TimeSpan.FromMinutes(10));
    double rate = events / watch.Elapsed.TotalSeconds;

    // The consumer may see the last events before their confirms are counted by the producer's relay.
    await SentAsync(producer, events);
    await producer.StopAsync();
    await consumer.StopAsync();
    return rate;
}

async Task<(double P50, double P99, int Count)> LatencyAsync(double rate)
{
    // The first seconds warm up and are not counted: the publisher's channel opening, the queues' first writes, and JIT
    // tiering, which in a fresh process goes on compiling for 10-15 seconds at these rates (a CPU sample of a run with five
    // seconds of warm-up found the tiered compiler's thread at 12% of the machine while counting). --warm-up S sets it.
    int warmUpAt = Array.IndexOf(args, "--warm-up");
    int warmUp = (int)(rate * (warmUpAt >= 0 ? double.Parse(args[warmUpAt + 1], CultureInfo.InvariantCulture) : 20));
    int count = warmUp + (int)Math.Min(events, rate * 10);
    double[] latencies = new double[count];
    long[] sentAt = new long[count];
    void Received(int sequence) => latencies[sequence] = Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[sequence])).TotalMilliseconds;

    // --raw-consumer: a plain client consumer takes the relay's messages instead of the transport's consumer, so the
    // producer's part (outbox, relay, broker) is measured alone.
    (IHost? consumer, Task all) = args.Contains("--raw-consumer")
        ? (null, await RawConsumerAsync("latency", count, Received))
        : await Apps.StartConsumerAsync(node.Port, "latency", count, e => Received(e.GetData<BenchPayload>().Sequence));
    using IHost? consumerHost = consumer;
    using IHost producer = await Apps.StartAsync(node.Port, o => { o.Exchange = "latency"; o.Publish.Add("#"); }, store: Path.Combine(stores.FullName, "latency.db"));
    IEventBus bus = producer.Services.GetRequiredService<IEventBus>();
    long start = Stopwatch.GetTimestamp();
    TimeSpan pausedBefore = TimeSpan.Zero;
    int[] collectionsBefore = new int[3];
    TimeSpan cpuBefore = TimeSpan.Zero;
    long machineBefore = 0;
    for (int i = 0; i < count; i++)
    {
        if (i == warmUp)
        {
            // What the process's own garbage collections cost in the counted part, to tell them from the broker's stalls.
            pausedBefore = GC.GetTotalPauseDuration();
            collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            machineBefore = MachineBusyTicks();
        }

        // Paced: event i leaves at i / rate seconds.
        TimeSpan due = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(start);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due);
        }

        Volatile.Write(ref sentAt[i], Stopwatch.GetTimestamp());
        await bus.PublishAsync(Apps.Event(i, body));
    }

    await all.WaitAsync(TimeSpan.FromMinutes(10));

    // CPU per counted event, of this process (both applications) and of the whole machine (with the broker): steadier
    // than the latency on a noisy machine, so it tells whether a change made the path cheaper.
    double counted = count - warmUp;
    double runnerMicros = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / counted;
    double machineMicros = (MachineBusyTicks() - machineBefore) * (1_000_000.0 / 100) / counted;
    Console.WriteLine($"  CPU per event while counted: runner {runnerMicros:N0} µs, machine {machineMicros:N0} µs");
    Console.WriteLine($"  garbage collections while counted: {GC.CollectionCount(0) - collectionsBefore[0]} / {GC.CollectionCount(1) - collectionsBefore[1]} / {GC.CollectionCount(2) - collectionsBefore[2]} (gen 0 / 1 / 2), paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:N1} ms");
    await producer.StopAsync();
    if (consumer is not null)
    {
        await consumer.StopAsync();
    }

    if (args.Contains("--worst"))
    {
        // The slowest event of every quarter second over 20 ms: tells one stall from a periodic one.
        foreach (IGrouping<int, int> window in Enumerable.Range(0, count).GroupBy(i => (int)(i / rate * 4)))
        {
            double worst = window.Max(i => latencies[i]);
            if (worst > 20)
            {
                Console.WriteLine($"  {window.Key / 4.0 - (warmUp / rate):N2} s: worst {worst:N1} ms");
            }
        }
    }

    double[] measured = latencies[warmUp..];
    Array.Sort(measured);
    return (measured[(int)(measured.Length * 0.50)], measured[Math.Min(measured.Length - 1, (int)(measured.Length * 0.99))], measured.Length);
}

// A plain client consumer on the queue the transport's consumer would use, reading each event's sequence from the
// CloudEvent (or each CloudEvent of a batch); the task completes once count events were seen.
async Task<Task> RawConsumerAsync(string name, int count, Action<int> received)
{
    TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int seen = 0;
    int messages = 0;
    IConnection connection = await new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port }.CreateConnectionAsync();
    IChannel channel = await connection.CreateChannelAsync();
    await channel.ExchangeDeclareAsync(name, ExchangeType.Topic, durable: true);
    await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments: Apps.QueueArguments);
    await channel.QueueBindAsync(name, name, "#");
    await channel.BasicQosAsync(0, 100, global: false);
    RabbitMQ.Client.Events.AsyncEventingBasicConsumer consumer = new(channel);
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        messages++;
        using System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(delivery.Body);
        IEnumerable<System.Text.Json.JsonElement> cloudEvents = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array
            ? document.RootElement.EnumerateArray()
            : [document.RootElement];
        foreach (System.Text.Json.JsonElement cloudEvent in cloudEvents)
        {
            System.Text.Json.JsonElement data = cloudEvent.GetProperty("data");
            received((data.TryGetProperty("sequence", out System.Text.Json.JsonElement s) ? s : data.GetProperty("Sequence")).GetInt32());
            if (Interlocked.Increment(ref seen) == count)
            {
                Console.WriteLine($"  raw consumer: {count:N0} events in {messages:N0} messages");
                all.TrySetResult();
            }
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    };
    await channel.BasicConsumeAsync(name, autoAck: false, consumer);
    return all.Task.ContinueWith(async _ => await connection.DisposeAsync(), TaskScheduler.Default).Unwrap();
}

// The floor: the raw client publishing with confirms at the same pace to a queue of the transport's type, and a raw
// consumer (manual acknowledgements, the transport's prefetch) taking each message off it: what the broker and the client
// cost on this machine before any of the bus's work (no outbox, no encoding, no inbox, no handler hop).
async Task<(double P50, double P99, int Count)> RawLatencyAsync(double rate)
{
    int warmUpAt = Array.IndexOf(args, "--warm-up");
    int warmUp = (int)(rate * (warmUpAt >= 0 ? double.Parse(args[warmUpAt + 1], CultureInfo.InvariantCulture) : 20));
    int count = warmUp + (int)Math.Min(events, rate * 10);
    int rawSizeAt = Array.IndexOf(args, "--raw-size");
    int rawSize = rawSizeAt >= 0 ? int.Parse(args[rawSizeAt + 1], CultureInfo.InvariantCulture) : 1_024;
    double[] latencies = new double[count];
    long[] sentAt = new long[count];
    TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int received = 0;
    await using IConnection consuming = await new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port }.CreateConnectionAsync();
    await using IChannel consumerChannel = await consuming.CreateChannelAsync();
    await consumerChannel.ExchangeDeclareAsync("raw-latency", ExchangeType.Topic, durable: true);
    await consumerChannel.QueueDeclareAsync("raw-latency", durable: true, exclusive: false, autoDelete: false, arguments: Apps.QueueArguments);
    await consumerChannel.QueueBindAsync("raw-latency", "raw-latency", "#");
    await consumerChannel.BasicQosAsync(0, 100, global: false);
    RabbitMQ.Client.Events.AsyncEventingBasicConsumer consumer = new(consumerChannel);
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        int sequence = BitConverter.ToInt32(delivery.Body.Span);
        latencies[sequence] = Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[sequence])).TotalMilliseconds;
        await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        if (Interlocked.Increment(ref received) == count)
        {
            all.TrySetResult();
        }
    };
    await consumerChannel.BasicConsumeAsync("raw-latency", autoAck: false, consumer);
    await using IConnection publishing = await new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port }.CreateConnectionAsync();
    await using IChannel channel = await publishing.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null));
    BasicProperties properties = new() { Persistent = true };
    List<Task> confirms = [];
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < count; i++)
    {
        TimeSpan due = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(start);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due);
        }

        byte[] payload = new byte[rawSize];
        BitConverter.TryWriteBytes(payload, i);
        Volatile.Write(ref sentAt[i], Stopwatch.GetTimestamp());
        confirms.Add(channel.BasicPublishAsync("raw-latency", Apps.Type, mandatory: false, properties, payload).AsTask());
    }

    await Task.WhenAll(confirms);
    await all.Task.WaitAsync(TimeSpan.FromMinutes(10));
    await consumerChannel.QueueDeleteAsync("raw-latency");
    double[] measured = latencies[warmUp..];
    Array.Sort(measured);
    return (measured[(int)(measured.Length * 0.50)], measured[Math.Min(measured.Length - 1, (int)(measured.Length * 0.99))], measured.Length);
}

// Busy time of every core since boot, in clock ticks of 1/100 s (the first line of /proc/stat, without idle and iowait).
static long MachineBusyTicks()
{
    string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    long[] ticks = [.. fields.Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
    return ticks.Sum() - ticks[3] - ticks[4];
}

async Task DeclareSinkAsync(string exchange, string queue)
{
    await using IConnection connection = await new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port }.CreateConnectionAsync();
    await using IChannel channel = await connection.CreateChannelAsync();
    await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
    await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Apps.QueueArguments);
    await channel.QueueBindAsync(queue, exchange, "#");
}

// Waits until the relay counted every event as confirmed; fails after a minute without progress.
static async Task SentAsync(IHost producer, int expected)
{
    ExternalRelayStatistics relay = producer.Services.GetRequiredService<ExternalRelays>()[RabbitMqPublisher.PublisherName];
    long last = -1;
    long since = Stopwatch.GetTimestamp();
    while (relay.Sent < expected)
    {
        if (relay.Sent != last)
        {
            (last, since) = (relay.Sent, Stopwatch.GetTimestamp());
        }
        else if (Stopwatch.GetElapsedTime(since) > TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException($"The relay confirmed {relay.Sent} of {expected} events and made no progress for a minute: {relay}");
        }

        await Task.Delay(10);
    }
}
