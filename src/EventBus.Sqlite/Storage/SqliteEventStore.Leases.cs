using System.Globalization;
using System.Text;

namespace EventBus.Sqlite;

/// <summary>
/// Leases on the log, so that relays in two processes that open the same database file take turns: each lease is an
/// exclusive lock on a file beside the database, named after the lease.
/// </summary>
public sealed partial class SqliteEventStore : IEventLogLeases
{
    // How often a waiting relay tries for the lease.
    private static readonly TimeSpan LeaseInterval = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public async ValueTask<IEventLogLease> AcquireLeaseAsync(string name, CancellationToken cancellationToken = default) =>
        (await TakeLeaseAsync(name, once: false, cancellationToken).ConfigureAwait(false))!;

    /// <inheritdoc />
    public ValueTask<IEventLogLease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken = default) =>
        TakeLeaseAsync(name, once: true, cancellationToken);

    private async ValueTask<IEventLogLease?> TakeLeaseAsync(string name, bool once, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string path = $"{_options.Path}.lease-{FileNameOf(name)}";
        try
        {
            return await SqliteLogLease.AcquireAsync(path, () => FlushAsync(CancellationToken.None), LeaseInterval, _options.TimeProvider, once, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new EventStoreException($"Taking the lease '{name}' on the event store at '{_options.Path}' failed: the file '{path}' could not be created ({exception.Message}). Let the application write to that folder.", exception);
        }
    }

    /// <summary>The name as letters, digits, '-' and '_', with a hash of the original so that different names never share a file.</summary>
    private static string FileNameOf(string name)
    {
        StringBuilder file = new(name.Length + 9);
        foreach (char c in name)
        {
            file.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return file.Append('-').Append(hash.ToString("x8", CultureInfo.InvariantCulture)).ToString();
    }
}
