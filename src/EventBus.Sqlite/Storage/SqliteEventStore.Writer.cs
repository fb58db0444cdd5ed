using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>The single writer: takes what is queued, up to a batch, and commits it in one transaction.</summary>
public sealed partial class SqliteEventStore
{
    private async Task WriteLoopAsync()
    {
        using SqliteConnection connection = Open();
        using (SqliteCommand pragma = connection.CreateCommand())
        {
            // A large page cache keeps the indexes' hot pages in memory while batches land.
            pragma.CommandText = (_options.SyncEveryCommit ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") + " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";
            pragma.ExecuteNonQuery();
        }

        // The single writer numbers events itself, which spares SQLite a lookup per insert.
        long position;
        using (SqliteCommand last = connection.CreateCommand())
        {
            last.CommandText = "SELECT coalesce(max(position), 0) FROM events;";
            position = (long)last.ExecuteScalar()!;
        }

        using WriterStatements statements = new(connection);
        List<WriteRequest> batch = [];
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int rows = 0;
            while (rows < _options.BatchSize && _writes.Reader.TryRead(out WriteRequest request))
            {
                batch.Add(request);
                rows += request.Rows;
            }

            position = Commit(connection, statements, batch, position);
            batch.Clear();
        }
    }

    /// <summary>Writes a batch in one transaction; returns the last position used (unchanged when the batch failed).</summary>
    private long Commit(SqliteConnection connection, WriterStatements statements, List<WriteRequest> batch, long position)
    {
        long next = position;
        Exception? failure = null;
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            foreach (WriteRequest request in batch)
            {
                next = Apply(statements, request, next);
            }

            transaction.Commit();
        }
#pragma warning disable CA1031 // A failed batch is reported to its waiting appenders and logged; the writer goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }

        foreach (WriteRequest request in batch)
        {
            if (request.Committed is null)
            {
                if (failure is not null && request.Rows > 0)
                {
                    Interlocked.Increment(ref _writeFailures);
                    Log.WriteFailed(_logger, failure, _options.Path);
                }
            }
            else if (failure is null)
            {
                request.Committed.TrySetResult();
            }
            else
            {
                request.Committed.TrySetException(new EventStoreException($"Writing to the event store '{_options.Path}' failed: {failure.Message}", failure));
            }
        }

        return failure is null ? next : position;
    }

    private static long Apply(WriterStatements statements, WriteRequest request, long position)
    {
        if (request.One is { } one)
        {
            statements.InsertEvent(one, ++position);
        }

        foreach (StoredRow row in request.Many ?? [])
        {
            statements.InsertEvent(row, ++position);
        }

        foreach (DeadLetterRow letter in request.SavedLetters ?? [])
        {
            statements.InsertDeadLetter(letter);
        }

        foreach (byte[] id in request.RemovedLetters ?? [])
        {
            statements.DeleteDeadLetter(id);
        }

        return position;
    }
}
