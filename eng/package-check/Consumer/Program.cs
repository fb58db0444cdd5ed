using System.Reflection;
using EventBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Handlers found by the generator the EventBus package carries, a SQLite store, and the test harness: each package works
// from the feed, and the assemblies carry the versions the packages promise.
string folder = Directory.CreateTempSubdirectory("eventbus-consumer-").FullName;
try
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
    builder.Logging.ClearProviders();
    builder.Services.AddEventBus().AddEventHandlers().AddSqliteEventStore(Path.Combine(folder, "events.db"));
    using IHost host = builder.Build();
    await host.StartAsync();
    IEventBus bus = host.Services.GetRequiredService<IEventBus>();
    PublishReport report = await bus.PublishAndWaitAsync(new ParcelShipped("p-1"));
    IEventStore store = host.Services.GetRequiredService<IEventStore>();
    await store.FlushAsync();
    EventEnvelope? stored = await store.GetAsync(report.EventId);
    await host.StopAsync();
    Console.WriteLine($"handled by the generated registration: {report.Succeeded && Counter.Handled == 1}");
    Console.WriteLine($"stored and read back: {stored?.GetData<ParcelShipped>() == new ParcelShipped("p-1")}");

    await using EventBus.Testing.EventBusHarness harness = await EventBus.Testing.EventBusHarness.StartAsync();
    await harness.Bus.PublishAsync(new EventBuilder("parcel.lost").Build());
    await harness.WaitForIdleAsync();
    harness.ExpectPublished("parcel.lost").Once();
    Console.WriteLine("harness expectation met: True");

    Assembly library = typeof(IEventBus).Assembly;
    string informational = library.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
    Console.WriteLine($"assembly version is the major version: {library.GetName().Version == new Version(int.Parse(informational.Split('.')[0]), 0, 0, 0)}");
    Console.WriteLine($"informational version names the commit: {informational.Contains('+')}");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

/// <summary>A parcel left the warehouse.</summary>
public sealed record ParcelShipped(string ParcelId);

/// <summary>Counts the parcels handled.</summary>
public static class Counter
{
    private static int _handled;

    public static int Handled => Volatile.Read(ref _handled);

    public static void Add() => Interlocked.Increment(ref _handled);
}

/// <summary>Registered by the generated AddEventHandlers().</summary>
public sealed class ParcelLog : IEventHandler<ParcelShipped>
{
    public ValueTask HandleAsync(EventEnvelope envelope, ParcelShipped payload, CancellationToken cancellationToken)
    {
        Counter.Add();
        return ValueTask.CompletedTask;
    }
}
