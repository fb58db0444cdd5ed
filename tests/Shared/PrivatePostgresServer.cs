using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EventBus.Testing.Brokers;

/// <summary>
/// A private PostgreSQL server for the tests: Debian's postgresql binaries run directly (not the system service), a
/// cluster made with <c>initdb</c> under a temporary folder, listening on a free loopback port with its socket in that
/// folder, deleted when the server is disposed. It can be stopped and started again on the same port and data, as a
/// server restart would. As root, the cluster belongs to the <c>postgres</c> user (PostgreSQL refuses to run as root).
/// Shared by source between the PostgreSQL tests and the benchmark runner.
/// </summary>
public class PrivatePostgresServer : IAsyncDisposable
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(90);

    private readonly string _folder = Directory.CreateTempSubdirectory("eventbus-postgres-").FullName;
    private readonly string _settings;
    private string? _binaries;

    /// <summary>Initializes a new instance of the <see cref="PrivatePostgresServer"/> class.</summary>
    /// <param name="settings">Server settings beyond the defaults, such as <c>shared_buffers=1GB</c>; none by default.</param>
    public PrivatePostgresServer(params string[] settings) =>
        _settings = string.Concat(settings.Select(setting => " -c " + setting));

    /// <summary>Gets the port on 127.0.0.1.</summary>
    public int Port { get; } = FreePort();

    /// <summary>Gets a connection string for the superuser and the <c>postgres</c> database (no password: the cluster trusts loopback).</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    private string DataFolder => Path.Combine(_folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Gets a connection string for a database of this server.</summary>
    /// <param name="database">The database's name.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionStringFor(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    /// <summary>Creates the cluster and starts the server.</summary>
    public async Task InitializeAsync()
    {
        _binaries = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot).Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (_binaries is null)
        {
            throw new InvalidOperationException(
                $"No {BinariesRoot}/<version>/bin/initdb: the PostgreSQL tests need Debian's postgresql package. Run ./build.sh (the first half of the README's test command), which installs it, or apt-get install postgresql.");
        }

        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _folder]);
        }

        await RunAsPostgresAsync("initdb", ["-D", DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
        await StartAsync();
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) and returns once it accepts connections.</summary>
    public Task StartAsync() => RunAsPostgresAsync("pg_ctl", [
        "-D", DataFolder,
        "-l", Path.Combine(_folder, "server.log"),
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=200{_settings}",
        "-w", "-t", "90", "start"]);

    /// <summary>Stops the server (fast shutdown: sessions are ended), as a server restart would; the data stays.</summary>
    public Task StopAsync() => RunAsPostgresAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "90", "stop"]);

    /// <summary>Stops the server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_binaries is not null && File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            await StopAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task RunAsPostgresAsync(string tool, string[] arguments)
    {
        string path = Path.Combine(_binaries!, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private async Task RunAsync(string file, string[] arguments)
    {
        ProcessStartInfo start = new(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource limit = new(CommandLimit);
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0)
        {
            string log = Path.Combine(_folder, "server.log");
            string serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty;
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}{await output}{serverLog}");
        }
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
