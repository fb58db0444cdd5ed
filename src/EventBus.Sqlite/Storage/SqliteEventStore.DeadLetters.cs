using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// Dead letters in the <c>dead_letters</c> table. Saves and removals go through the single writer, committed before
/// they return, so they keep the order in which the bus made them; reads run beside the writer like event reads.
/// </summary>
public sealed partial class SqliteEventStore
{
    /// <summary>The event's columns in the order <see cref="RowDecoder"/> reads them (column 0 is the sequence), then the dead letter's.</summary>
    private const string DeadLetterColumns = "sequence, id, type, kind, source, target, workflow_id, phase, correlation_id, causation_id, timestamp, expires_at, priority, schema_version, persistence, payload_type, payload, metadata, dead_letter_id, subscriber_id, reason, exception_type, exception_message, attempts, dead_lettered_at";

    /// <inheritdoc />
    /// <exception cref="EventStoreException">The write failed.</exception>
    public ValueTask SaveDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidDeadLetters(letters);
        DeadLetterRow[] rows = [.. letters.Select(letter => new DeadLetterRow(letter, _payloads))];

        return rows.Length == 0 ? ValueTask.CompletedTask : EnqueueAsync(new WriteRequest(null, null, NewSignal(), SavedLetters: rows), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="EventStoreException">The write failed.</exception>
    public ValueTask RemoveDeadLettersAsync(IReadOnlyList<Guid> deadLetterIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetterIds);
        byte[][] ids = [.. deadLetterIds.Select(id => id.ToByteArray(bigEndian: true))];
        return ids.Length == 0 ? ValueTask.CompletedTask : EnqueueAsync(new WriteRequest(null, null, NewSignal(), RemovedLetters: ids), cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DeadLetter> ReadDeadLettersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Dead letters committed before this read began are all seen: saves are acknowledged only once committed.
        List<DeadLetter> letters;
        try
        {
            letters = ReadDeadLetters(cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "reading dead letters from");
        }

        foreach (DeadLetter letter in letters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return letter;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Reads the whole table in one statement; the dead-letter queue's capacity bounds it.</summary>
    private List<DeadLetter> ReadDeadLetters(CancellationToken cancellationToken)
    {
        using SqliteConnection connection = Open();
        using sqlite3_stmt statement = RawSql.Prepare(connection, $"SELECT {DeadLetterColumns} FROM dead_letters ORDER BY sequence;");
        RowDecoder decoder = new(_payloads);
        List<DeadLetter> letters = [];
        while (RawSql.Next(connection, statement))
        {
            cancellationToken.ThrowIfCancellationRequested();
            EventEnvelope envelope = decoder.Decode(statement);
            letters.Add(new DeadLetter
            {
                Id = new Guid(raw.sqlite3_column_blob(statement, 18), bigEndian: true),
                Event = envelope,
                SubscriberId = Text(statement, 19)!,
                Reason = (DeadLetterReason)raw.sqlite3_column_int(statement, 20),
                ExceptionType = Text(statement, 21),
                ExceptionMessage = Text(statement, 22),
                Attempts = raw.sqlite3_column_int(statement, 23),
                DeadLetteredAt = new DateTimeOffset(raw.sqlite3_column_int64(statement, 24), TimeSpan.Zero),
            });
        }

        return letters;
    }

    private static string? Text(sqlite3_stmt row, int column) =>
        raw.sqlite3_column_type(row, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(row, column));
}
