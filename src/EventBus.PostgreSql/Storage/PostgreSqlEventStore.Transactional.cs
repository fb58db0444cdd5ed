using Npgsql;

namespace EventBus.PostgreSql;

/// <summary>
/// The transactional outbox: events appended in the application's own transaction, so that its data and its events are
/// stored together or not at all, and an external publisher's relay sends them only once that transaction committed.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    /// <summary>
    /// Appends events inside <paramref name="transaction"/>, the application's own transaction on this store's database:
    /// they are stored if and only if it commits, and the relays of external publishers send them after that. The append
    /// takes the store's append lock in that transaction, so other appends wait until it commits or rolls back: keep the
    /// transaction short. Events appended this way are not published to this process's subscribers; publish them with the
    /// bus as well if handlers here must see them. Relays, in this process and others, are notified when the transaction
    /// commits.
    /// </summary>
    /// <param name="transaction">The application's open transaction.</param>
    /// <param name="events">The events, in order.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>A task that completes when the events are written in the transaction (not yet committed).</returns>
    /// <exception cref="ArgumentException">The transaction is finished, or an event is null.</exception>
    public async ValueTask AppendInTransactionAsync(NpgsqlTransaction transaction, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        StoreGuards.ThrowIfInvalidBatch(events);
        NpgsqlConnection connection = transaction.Connection
            ?? throw new ArgumentException("The transaction is already committed or rolled back; append within an open transaction.", nameof(transaction));
        if (events.Count == 0)
        {
            return;
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inserter.WriteAsync(connection, transaction, [new AppendRequest(EncodedEvent.EncodeAll(events, _payloads))], checkStored: true, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Failed(exception, "appending in the application's transaction to");
        }
        catch (InvalidOperationException exception) when (transaction.Connection is null || exception.Message.Contains("completed", StringComparison.OrdinalIgnoreCase))
        {
            // Npgsql refuses a command on a transaction that was committed or rolled back: the caller's mistake, named as such.
            throw new ArgumentException("The transaction is already committed or rolled back; append within an open transaction.", nameof(transaction), exception);
        }
    }
}
