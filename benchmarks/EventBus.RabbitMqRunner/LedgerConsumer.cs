using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventBus.RabbitMqRunner;

/// <summary>
/// The consumer process of the ledger: receives the ledger's queue into a bus with a SQLite store (its inbox survives a
/// kill), and its handler appends each event's sequence to the ledger file before returning, written through to the
/// operating system, so a <c>kill -9</c> loses no line of an event that was acknowledged.
/// </summary>
internal static class LedgerConsumer
{
    public const string Exchange = "ledger";

    public static async Task<int> RunAsync(int port, string store, string ledger)
    {
        await using FileStream file = new(ledger, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Lock writing = new();
        using IHost host = await Apps.StartAsync(
            port,
            o => { o.Exchange = Exchange; o.QueueName = Exchange; o.Receive.Add("#"); },
            subscribe: bus => bus.Subscribe("#", e =>
            {
                byte[] line = Encoding.ASCII.GetBytes(e.GetData<BenchPayload>().Sequence.ToString(CultureInfo.InvariantCulture) + "\n");
                lock (writing)
                {
                    file.Write(line);
                }
            }),
            store: store,
            durableStore: true);
        await host.Services.GetRequiredService<RabbitMQ.RabbitMqConsumer>().Ready;
        Console.WriteLine("ready");
        await host.WaitForShutdownAsync();
        return 0;
    }
}
