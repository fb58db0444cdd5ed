using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EventBus.Benchmarks;

// Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/EventBus.Benchmarks -- --filter '*'          full suite, ShortRun jobs
//   dotnet run -c Release --project benchmarks/EventBus.Benchmarks -- --quick --filter '*'  reduced set, in process
// Result tables are copied to benchmarks/results/ after the run.
bool quick = args.Contains("--quick");
BenchmarkSettings.Quick = quick;
string repositoryRoot = FindRepositoryRoot();
string artifacts = Path.Combine(repositoryRoot, "benchmarks", "artifacts");

Job job = quick
    ? Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick")
    : Job.ShortRun;
IConfig config = DefaultConfig.Instance
    .AddJob(job.WithEnvironmentVariable(BenchmarkSettings.QuickVariable, quick ? "1" : "0"))
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);

// Start from an empty artifacts folder so only this run's tables are copied. A run of some classes replaces
// those classes' reports and keeps the others; a new joined report replaces the previous one.
DeleteDirectory(Path.Combine(artifacts, "results"));
string results = Path.Combine(repositoryRoot, "benchmarks", "results", quick ? "quick" : "full");

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkSettings).Assembly).Run([.. args.Where(a => a != "--quick")], config);

Directory.CreateDirectory(results);
string[] produced = [.. Directory.EnumerateFiles(Path.Combine(artifacts, "results"))];
if (produced.Any(f => Path.GetFileName(f).StartsWith("BenchmarkRun-joined", StringComparison.Ordinal)))
{
    foreach (string stale in Directory.EnumerateFiles(results, "BenchmarkRun-joined*"))
    {
        File.Delete(stale);
    }
}

foreach (string file in produced.Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith("-report.csv", StringComparison.Ordinal)))
{
    File.Copy(file, Path.Combine(results, Path.GetFileName(file)), overwrite: true);
}

Console.WriteLine($"Result tables copied to {results}");

static void DeleteDirectory(string path)
{
    if (Directory.Exists(path))
    {
        Directory.Delete(path, recursive: true);
    }
}

static string FindRepositoryRoot()
{
    DirectoryInfo? directory = new(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventBus.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? Directory.GetCurrentDirectory();
}
