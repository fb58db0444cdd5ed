using System.Diagnostics;
using System.Globalization;
using EventBus.Sqlite;

namespace EventBus.KillTest;

/// <summary>Runs the child, kills it at a random moment, and checks that every acknowledged event was stored.</summary>
internal static class Parent
{
    public static async Task<int> RunAsync(int iterations)
    {
        Random random = new();
        int failures = 0;
        long totalAcknowledged = 0;
        for (int iteration = 1; iteration <= iterations; iteration++)
        {
            string directory = Directory.CreateTempSubdirectory("eventbus-killtest-").FullName;
            string path = Path.Combine(directory, "events.db");
            try
            {
                (HashSet<Guid> acknowledged, int killedAfterMs) = await RunChildAsync(path, random.Next(200, 1500));
                (long stored, int missing) = await VerifyAsync(path, acknowledged);
                totalAcknowledged += acknowledged.Count;
                failures += missing > 0 || acknowledged.Count == 0 ? 1 : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"iteration {iteration,2}: killed {killedAfterMs,4} ms after ready; {acknowledged.Count,6} acknowledged, {stored,6} stored, {missing} missing{(missing > 0 || acknowledged.Count == 0 ? "  FAILED" : string.Empty)}"));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill test: {iterations - failures} of {iterations} iterations kept every acknowledged event ({totalAcknowledged} acknowledged in all)"));
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(HashSet<Guid> Acknowledged, int KilledAfterMs)> RunChildAsync(string path, int killAfterMs)
    {
        ProcessStartInfo start = new(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Parent).Assembly.Location);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(path);
        using Process child = Process.Start(start)!;
        HashSet<Guid> acknowledged = [];
        string? first = await child.StandardOutput.ReadLineAsync();
        if (first != "ready")
        {
            throw new InvalidOperationException($"The child did not start: '{first}'.");
        }

        Stopwatch sinceReady = Stopwatch.StartNew();
        Task reading = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                // A line cut off by the kill does not parse: it was never a whole acknowledgement.
                if (line.Length == 32 && Guid.TryParseExact(line, "N", out Guid id))
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(id);
                    }
                }
            }
        });
        await Task.Delay(killAfterMs);
        child.Kill(entireProcessTree: true);
        int killedAfter = (int)sinceReady.ElapsedMilliseconds;
        await child.WaitForExitAsync();
        await reading;
        return (acknowledged, killedAfter);
    }

    private static async Task<(long Stored, int Missing)> VerifyAsync(string path, HashSet<Guid> acknowledged)
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = path });
        int missing = 0;
        foreach (Guid id in acknowledged)
        {
            if (await store.GetAsync(id) is null)
            {
                missing++;
            }
        }

        return (await store.CountAsync(), missing);
    }
}
