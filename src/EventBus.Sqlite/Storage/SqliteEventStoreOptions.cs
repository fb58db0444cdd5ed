using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace EventBus.Sqlite;

/// <summary>Settings of a <see cref="SqliteEventStore"/>.</summary>
public sealed class SqliteEventStoreOptions
{
    /// <summary>Gets or sets the database file's path; it is created, with its schema, on first use.</summary>
    public string Path { get; set; } = "events.db";

    /// <summary>Gets or sets the most events written in one transaction (one group commit).</summary>
    /// <value>The default value is 5,000.</value>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// Gets or sets a value indicating whether correlation ids are indexed, for fast queries by correlation id. The
    /// index is created on open when asked for. Off by default: it costs about a quarter of the append rate.
    /// </summary>
    public bool IndexCorrelationId { get; set; }

    /// <summary>Gets or sets how many writes may wait for the writer before appending waits for room.</summary>
    /// <value>The default value is 100,000.</value>
    public int WriteQueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// Gets or sets a value indicating whether each commit is synced to disk (SQLite <c>synchronous=FULL</c>), so that
    /// committed events survive a power loss too. Off by default (<c>synchronous=NORMAL</c> in WAL mode): committed
    /// events survive a crash or kill of the process, and appending is much faster.
    /// </summary>
    public bool SyncEveryCommit { get; set; }

    /// <summary>Gets or sets the clock that pruning by age measures with.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the JSON options payloads and snapshots are written and read with. Options without a
    /// <c>TypeInfoResolver</c> take their contracts from the <see cref="Catalog"/> (see <see cref="EventCatalog.JsonOptions"/>).
    /// </summary>
    /// <value>The default value is null: the catalogue's <see cref="EventCatalog.JsonOptions"/>.</value>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>Gets the stable names under which payload types are stored instead of their .NET type names, so a type can be renamed or moved.</summary>
    public IDictionary<string, Type> PayloadTypes { get; } = new Dictionary<string, Type>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the event catalogue that stored payloads are read by: an event's payload is read as the payload type
    /// the catalogue registers for its event type, when that type's name is the stored one. The stored name itself is never
    /// loaded as a type; a payload of an unregistered type (not in the catalogue, not in <see cref="PayloadTypes"/>, not a
    /// string or plain value) reads as an <see cref="UnreadablePayload"/>.
    /// </summary>
    /// <value>The default value is null; registered with the event bus, the store takes the bus's catalogue.</value>
    public EventCatalog? Catalog { get; set; }

    /// <summary>Throws, with every problem in one message, when the options can not work.</summary>
    internal void Validate()
    {
        List<string> errors = Problems();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SQLite event store options: " + string.Join(" ", errors));
        }
    }

    /// <summary>Lists what is wrong with these options, each naming the value and the fix.</summary>
    internal List<string> Problems()
    {
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(Path))
        {
            errors.Add("SqliteEventStoreOptions.Path is empty; give the database file's path.");
        }

        if (BatchSize < 1)
        {
            errors.Add($"SqliteEventStoreOptions.BatchSize is {BatchSize}; it must be at least 1.");
        }

        if (WriteQueueCapacity < 1)
        {
            errors.Add($"SqliteEventStoreOptions.WriteQueueCapacity is {WriteQueueCapacity}; it must be at least 1.");
        }

        return errors;
    }

    /// <summary>
    /// Reads the settings a configuration can hold (<see cref="Path"/>, <see cref="BatchSize"/>,
    /// <see cref="WriteQueueCapacity"/>, <see cref="IndexCorrelationId"/>, <see cref="SyncEveryCommit"/>); the clock,
    /// the catalogue and the JSON options come from the application's services.
    /// </summary>
    internal void Bind(Microsoft.Extensions.Configuration.IConfiguration section)
    {
        Path = section[nameof(Path)] ?? Path;
        BatchSize = section.GetValue(nameof(BatchSize), BatchSize);
        WriteQueueCapacity = section.GetValue(nameof(WriteQueueCapacity), WriteQueueCapacity);
        IndexCorrelationId = section.GetValue(nameof(IndexCorrelationId), IndexCorrelationId);
        SyncEveryCommit = section.GetValue(nameof(SyncEveryCommit), SyncEveryCommit);
    }
}
