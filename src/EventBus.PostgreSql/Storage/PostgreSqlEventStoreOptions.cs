using System.Text.Json;

namespace EventBus.PostgreSql;

/// <summary>Where the PostgreSQL store keeps its events and how it writes them.</summary>
public sealed class PostgreSqlEventStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string. It may hold a password: the store never logs it or puts it in an exception.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the schema the store's tables live in; created on first use.</summary>
    /// <value>The default value is <c>eventbus</c>.</value>
    public string Schema { get; set; } = "eventbus";

    /// <summary>Gets or sets the clock for retention and snapshot times.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets where the store logs what it recovers from on its own (a listening connection or a lease lost);
    /// <c>AddPostgreSqlEventStore</c> sets it from the application's logging.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>
    /// Gets or sets the JSON options payloads and snapshots are written and read with. Options without a
    /// <c>TypeInfoResolver</c> take their contracts from the <see cref="Catalog"/> (see <see cref="EventCatalog.JsonOptions"/>).
    /// </summary>
    /// <value>The default value is null: the catalogue's <see cref="EventCatalog.JsonOptions"/>.</value>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>Gets payload type aliases: stored under the alias, read back as the type, so a renamed type stays readable.</summary>
    public IDictionary<string, Type> PayloadTypes { get; } = new Dictionary<string, Type>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the event catalogue that stored payloads are read by: an event's payload is read as the payload type
    /// the catalogue registers for its event type, when that type's name is the stored one. The stored name itself is never
    /// loaded as a type; a payload of an unregistered type (not in the catalogue, not in <see cref="PayloadTypes"/>, not a
    /// string or plain value) reads as an <see cref="UnreadablePayload"/>.
    /// </summary>
    /// <value>The default value is null; registered with the event bus, the store takes the bus's catalogue.</value>
    public EventCatalog? Catalog { get; set; }

    /// <summary>Throws one exception that lists every problem.</summary>
    internal void Validate()
    {
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("PostgreSqlEventStoreOptions.ConnectionString is empty; set it to the database's Npgsql connection string, such as 'Host=db;Username=app;Database=app'.");
        }

        if (string.IsNullOrWhiteSpace(Schema) || !Schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') || !char.IsAsciiLetterLower(Schema[0]))
        {
            errors.Add($"PostgreSqlEventStoreOptions.Schema is '{Schema}'; use lower-case letters, digits and '_', starting with a letter, such as 'eventbus'.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
