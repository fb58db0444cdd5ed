using System.Globalization;
using EventBus.StoreRunner;

// Event store throughput over 1,000,000 stored events: appending (standard one by one, batched, critical with
// concurrent publishers), querying page by page, replaying through the bus, and rebuilding a stream from a snapshot, for
// SQLite, PostgreSQL (a private server started for the run) and the in-memory store.
//   dotnet run -c Release --project benchmarks/EventBus.StoreRunner [-- --events N] [--only sqlite|postgresql|memory]
int events = 1_000_000;
string? only = null;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--events": events = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--only": only = args[i + 1].ToLowerInvariant(); break;
        default: Console.Error.WriteLine($"Unknown option '{args[i]}'; use --events N and --only sqlite|postgresql|memory."); return 2;
    }
}

List<Measurement> results = [];
if (only is null or "sqlite")
{
    results.AddRange(await Scenarios.SqliteAsync(events));
}

if (only is null or "postgresql")
{
    results.AddRange(await Scenarios.PostgreSqlAsync(events));
}

if (only is null or "memory")
{
    results.AddRange(await Scenarios.InMemoryAsync(events));
}
string report = Report.Render(events, results);
Console.WriteLine(report);
string output = Path.Combine("benchmarks", "results", events == 1_000_000 && only is null ? "store.md" : "store-quick.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report);
Console.WriteLine($"written to {output}");
return 0;
