using EventBus.Sqlite;

namespace EventBus.KillTest;

/// <summary>Publishes critical events from four publishers until killed, printing each id after its publish returns.</summary>
internal static class Child
{
    private static readonly Lock Output = new();

    public static async Task RunAsync(string path)
    {
        SqliteEventStore store = new(new SqliteEventStoreOptions { Path = path });
        IEventBus bus = EventBusFactory.Create(store: store, storeOptions: new EventStoreOptions { DefaultLevel = PersistenceLevel.Critical });
        await bus.StartAsync();
        bus.Subscribe("#", _ => { });
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(publisher => Task.Run(async () =>
        {
            for (long sequence = 0; ; sequence++)
            {
                EventEnvelope envelope = new EventBuilder("killtest.event").WithWorkflow("publisher-" + publisher).WithData(sequence).Build();
                await bus.PublishAsync(envelope);
                lock (Output)
                {
                    // The acknowledgement: the parent counts only whole lines.
                    Console.Out.Write(envelope.Id.ToString("N") + "\n");
                    Console.Out.Flush();
                }
            }
        })));
    }
}
