using EventBus.Sqlite;

namespace EventBus.KillTest;

/// <summary>
/// One of several processes appending to one store file at once: appends critical events from four concurrent tasks
/// and prints each id once its append has returned, then "done". The multi-writer test runs two of these.
/// </summary>
internal static class Appender
{
    private static readonly Lock Output = new();

    public static async Task RunAsync(string path, int count)
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = path });
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                EventEnvelope envelope = new EventBuilder("multiwriter.event").WithWorkflow("process-" + Environment.ProcessId).Build();
                await store.AppendAsync(envelope, PersistenceLevel.Critical);
                lock (Output)
                {
                    Console.Out.Write(envelope.Id.ToString("N") + "\n");
                }
            }
        })));
        Console.Out.WriteLine("done");
        Console.Out.Flush();
    }
}
