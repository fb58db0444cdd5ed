using System.Globalization;
using System.Text;

namespace EventBus.Sqlite;

/// <summary>
/// Leases on the log, so that relays in two processes that open the same database file take turns: each lease is an
/// exclusive lock on a file beside the database, named after the lease.
/// </summary>
public sealed partial class SqliteEventStore : IEventLogLeases
{
    /// <inheritdoc />
    public ValueTask<IEventLogLease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string path = $"{_options.Path}.lease-{FileNameOf(name)}";
        try
        {
            return ValueTask.FromResult(SqliteLogLease.TryAcquire(path, () => FlushAsync(CancellationToken.None)));
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
