using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>The RabbitMQ sample run as a separate process, its output lines collected as they come.</summary>
internal sealed class SampleProcess : IDisposable
{
    private static readonly string Assembly = typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RabbitMqSampleAssembly").Value!;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<IReadOnlyCollection<string>, bool> Condition, TaskCompletionSource Done)> _waits = [];

    private SampleProcess(string[] arguments)
    {
        ProcessStartInfo start = new("dotnet", [Assembly, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        Errors = _process.StandardError.ReadToEndAsync();
    }

    public IReadOnlyCollection<string> Lines => [.. _lines];

    public Task<string> Errors { get; }

    public static SampleProcess Start(int port, params string[] arguments) =>
        new([.. arguments, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Completes when the output satisfies <paramref name="condition"/>; the generous limit only stops a broken test from hanging.</summary>
    public Task WaitForAsync(Func<IReadOnlyCollection<string>, bool> condition)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(Lines))
            {
                return Task.CompletedTask;
            }

            _waits.Add((condition, done));
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop, as Ctrl+C would.</summary>
    public void Interrupt() => Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        lock (_lock)
        {
            IReadOnlyCollection<string> lines = Lines;
            foreach ((Func<IReadOnlyCollection<string>, bool> condition, TaskCompletionSource done) in _waits)
            {
                if (condition(lines))
                {
                    done.TrySetResult();
                }
            }
        }
    }
}
