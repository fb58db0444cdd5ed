namespace EventBus.KillTest;

/// <summary>
/// One of several processes appending to one store at once (a SQLite file, or a PostgreSQL schema): appends critical
/// events from four concurrent tasks and prints each id once its append has returned, then "done". The multi-writer
/// tests run several of these.
/// </summary>
internal static class Appender
{
    private static readonly Lock Output = new();

    public static async Task RunAsync(IEventStore opened, int count)
    {
        await using IEventStore store = opened;
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
