using System.Diagnostics;
using System.Reflection;

namespace EventBus.Testing.Processes;

/// <summary>
/// Runs tests/EventBus.KillTest as another process that appends to a store (its <c>--append</c> modes) and collects the
/// ids it printed once their appends returned. Shared by source between the SQLite and PostgreSQL tests; the test
/// assembly names the runner's path in an <see cref="AssemblyMetadataAttribute"/> with the key <c>AppenderAssembly</c>.
/// </summary>
internal static class AppenderProcess
{
    /// <summary>Runs the appender with <paramref name="arguments"/> and returns the acknowledged ids.</summary>
    /// <exception cref="InvalidOperationException">The appender did not finish cleanly; the message has its errors.</exception>
    public static async Task<HashSet<Guid>> RunAsync(Assembly tests, params string[] arguments)
    {
        string appender = tests.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AppenderAssembly").Value!;
        ProcessStartInfo start = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(appender);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        HashSet<Guid> acknowledged = [];
        bool done = false;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "done")
            {
                done = true;
            }
            else if (Guid.TryParseExact(line, "N", out Guid id))
            {
                acknowledged.Add(id);
            }
        }

        await process.WaitForExitAsync();
        return done ? acknowledged : throw new InvalidOperationException($"The appender did not finish cleanly (exit {process.ExitCode}): {await errors}");
    }
}
