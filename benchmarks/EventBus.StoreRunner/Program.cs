using System.Globalization;
using EventBus.StoreRunner;

// Event store throughput over 1,000,000 stored events: appending (standard one by one, batched, critical with
// concurrent publishers), querying page by page, replaying through the bus, and rebuilding a stream from a snapshot, for
// SQLite, PostgreSQL (a private server started for the run) and the in-memory store.
//   dotnet run -c Release --project benchmarks/EventBus.StoreRunner [-- --events N]
int events = args is ["--events", string count] ? int.Parse(count, CultureInfo.InvariantCulture) : 1_000_000;
List<Measurement> results = [];
results.AddRange(await Scenarios.SqliteAsync(events));
results.AddRange(await Scenarios.PostgreSqlAsync(events));
results.AddRange(await Scenarios.InMemoryAsync(events));
string report = Report.Render(events, results);
Console.WriteLine(report);
string output = Path.Combine("benchmarks", "results", events == 1_000_000 ? "store.md" : "store-quick.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report);
Console.WriteLine($"written to {output}");
return 0;
