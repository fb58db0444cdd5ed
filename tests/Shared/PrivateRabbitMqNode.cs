using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EventBus.Testing.Brokers;

/// <summary>
/// A private RabbitMQ node for the tests: Debian's rabbitmq-server run directly (not the system service), with its own
/// node name, AMQP, distribution and epmd ports on loopback, and its data and logs under a temporary folder that is
/// deleted when the node is disposed. It can be stopped and started again on the same ports and data, as a broker
/// restart would. Shared by source between the RabbitMQ tests and the benchmark runner.
/// </summary>
public class PrivateRabbitMqNode : IAsyncDisposable
{
    private const string ServerPath = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string CtlPath = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private readonly string _folder = Directory.CreateTempSubdirectory("eventbus-rabbitmq-").FullName;
    private readonly int _distPort = FreePort();
    private readonly int _epmdPort = FreePort();
    private Process? _server;

    /// <summary>Gets the AMQP port on 127.0.0.1.</summary>
    public int Port { get; } = FreePort();

    /// <summary>Gets the node's name, unique to this run.</summary>
    public string NodeName { get; } = $"eventbus-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40] + "@localhost";

    /// <summary>Gets a connection string for the default user, which RabbitMQ lets in from loopback only.</summary>
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    /// <summary>Creates the node's folder and starts it.</summary>
    public async Task InitializeAsync()
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException(
                $"{ServerPath} is missing: the RabbitMQ tests need Debian's rabbitmq-server package. Run ./build.sh (the first half of the README's test command), which installs it, or apt-get install rabbitmq-server.");
        }

        await File.WriteAllTextAsync(Path.Combine(_folder, "enabled_plugins"), "[rabbitmq_consistent_hash_exchange].");
        await StartAsync();
    }

    /// <summary>Stops the node, ends its epmd and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await StopAsync();
        await RunAsync("epmd", ["-port", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"], check: false);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts the node (again, after <see cref="StopAsync"/>) and returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        ProcessStartInfo start = new(ServerPath) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        Configure(start);
        _server = Process.Start(start)!;
        _ = _server.StandardOutput.ReadToEndAsync();
        _ = _server.StandardError.ReadToEndAsync();
        await CtlAsync("wait", Path.Combine(_folder, "pid"), "--timeout", "90");
    }

    /// <summary>Stops the node, as a broker shutdown would; its queues and messages stay on disk.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await CtlAsync("stop");
        using CancellationTokenSource limit = new(StartLimit);
        await _server.WaitForExitAsync(limit.Token);
        _server.Dispose();
        _server = null;
    }

    /// <summary>Runs rabbitmqctl against this node and returns what it printed.</summary>
    public Task<string> CtlAsync(params string[] arguments) => RunAsync(CtlPath, ["-n", NodeName, .. arguments], check: true);

    private async Task<string> RunAsync(string file, string[] arguments, bool check)
    {
        ProcessStartInfo start = new(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        Configure(start);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource limit = new(StartLimit);
        await process.WaitForExitAsync(limit.Token);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}{await output}");
        }

        return await output;
    }

    private void Configure(ProcessStartInfo start)
    {
        string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HOME"] = _folder;
        start.Environment["ERL_EPMD_PORT"] = Port(_epmdPort);
        start.Environment["RABBITMQ_NODENAME"] = NodeName;
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = Port(this.Port);
        start.Environment["RABBITMQ_DIST_PORT"] = Port(_distPort);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_folder, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_folder, "log");
        start.Environment["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(_folder, "feature_flags");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_folder, "enabled_plugins");
        start.Environment["RABBITMQ_PID_FILE"] = Path.Combine(_folder, "pid");
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_folder, "rabbitmq");

        // No busy waiting by idle Erlang schedulers: on a small machine shared with the applications under test it takes
        // CPU they need (RabbitMQ's advice for shared hosts).
        start.Environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "+sbwt none +sbwtdcpu none +sbwtdio none";
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
