using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite;

/// <summary>The single writer: takes what is queued, up to a batch, and commits it in one transaction.</summary>
public sealed partial class SqliteEventStore
{
    private async Task WriteLoopAsync()
    {
        try
        {
            using SqliteConnection connection = Open();
            using (SqliteCommand pragma = connection.CreateCommand())
            {
                // SQLite's default page cache: a large one (64 MiB) made every commit dearer (16 critical publishers'
                // group commits 15,400/s against 27,600/s with the default, batches of 1,000 no faster). The checkpointer,
                // not the writer's commits, checkpoints the write-ahead log (see WalCheckpoints).
                pragma.CommandText = (_options.SyncEveryCommit ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") + " PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0;";
                pragma.ExecuteNonQuery();
            }

            using WriterStatements statements = new(connection);
            List<WriteRequest> batch = [];
            List<(long Position, StoredRow Row)> inserted = [];
            while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                int rows = 0;
                while (rows < _options.BatchSize && _writes.Reader.TryRead(out WriteRequest request))
                {
                    batch.Add(request);
                    rows += request.Rows;
                }

                Commit(connection, statements, batch, inserted);
                batch.Clear();
                inserted.Clear();
                Written(rows);
            }
        }
#pragma warning disable CA1031 // The writer can not go on (its connection could not be opened): every waiting and later append is told why.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            FailWriter(exception);
        }
    }

    /// <summary>
    /// Writes a batch in one transaction. The transaction takes SQLite's write lock as it begins (BEGIN IMMEDIATE), and
    /// the next position is read under that lock, so several stores on one file (other processes, or a second store in
    /// this one) number their rows without colliding: each batch sees every row committed before it.
    /// </summary>
    private void Commit(SqliteConnection connection, WriterStatements statements, List<WriteRequest> batch, List<(long Position, StoredRow Row)> inserted)
    {
        Exception? failure = null;
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            long first = statements.LastPosition();
            long position = first;
            foreach (WriteRequest request in batch)
            {
                position = Apply(statements, request, position, inserted);
            }

            transaction.Commit();
            if (inserted.Count > 0)
            {
                // Kept before the signal, so that the relay it wakes finds them. The signal names the last row written:
                // a position after it, taken by a second copy of a stored event, has no row and is numbered again.
                _tail.Committed(inserted);
                Appended(inserted[^1].Position);
            }
        }
        catch (SqliteException exception)
        {
            failure = StoreErrors.For(exception, _options.Path, "writing to");
        }
#pragma warning disable CA1031 // A failed batch is reported to its waiting appenders and logged; the writer goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = new EventStoreException($"Writing to the event store '{_options.Path}' failed: {exception.Message}", exception);
        }

        foreach (WriteRequest request in batch)
        {
            Settle(request, failure);
        }
    }

    /// <summary>Completes one request's acknowledgement, or counts and logs the failure of a background write.</summary>
    private void Settle(WriteRequest request, Exception? failure)
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
            request.Committed.TrySetException(failure);
        }
    }

    /// <summary>The writer ended on an error: close the queue with it and fail everything still queued.</summary>
    private void FailWriter(Exception exception)
    {
        EventStoreException failure = exception as EventStoreException
            ?? (exception is SqliteException sqlite ? StoreErrors.For(sqlite, _options.Path, "writing to") : new EventStoreException($"The writer of the event store '{_options.Path}' stopped: {exception.Message}", exception));
        _writes.Writer.TryComplete(failure);
        while (_writes.Reader.TryRead(out WriteRequest request))
        {
            Settle(request, failure);
        }
    }

    /// <summary>
    /// Writes one request; each event written is added to <paramref name="inserted"/> with its position, in order. A second
    /// copy of a stored event is skipped, and its position is left without a row.
    /// </summary>
    private static long Apply(WriterStatements statements, WriteRequest request, long position, List<(long Position, StoredRow Row)> inserted)
    {
        if (request.Stream is { } stream)
        {
            return AppendToStream(statements, stream, request.Many!, position, inserted);
        }

        if (request.One is { } one && statements.InsertEvent(one, ++position))
        {
            inserted.Add((position, one));
        }

        foreach (StoredRow row in request.Many ?? [])
        {
            if (statements.InsertEvent(row, ++position))
            {
                inserted.Add((position, row));
            }
        }

        foreach (DeadLetterRow letter in request.SavedLetters ?? [])
        {
            statements.InsertDeadLetter(letter);
        }

        foreach (byte[] id in request.RemovedLetters ?? [])
        {
            statements.DeleteDeadLetter(id);
        }

        if (request.Checkpoint is { } checkpoint)
        {
            statements.SaveCheckpoint(checkpoint.Name, checkpoint.Position);
        }

        foreach (InboxEntry entry in request.Inbox ?? [])
        {
            statements.InsertInbox(entry);
        }

        return position;
    }

    /// <summary>
    /// Checks the stream's version and the events' ids, then writes the events and their versions; a refused append
    /// writes nothing and records why, and the rest of the batch goes on.
    /// </summary>
    private static long AppendToStream(WriterStatements statements, StreamAppend stream, StoredRow[] rows, long position, List<(long Position, StoredRow Row)> inserted)
    {
        long actual = statements.StreamVersion(stream.StreamId);
        if (stream.ExpectedVersion != StreamVersion.Any && stream.ExpectedVersion != actual)
        {
            stream.Refusal = new StreamVersionConflictException(stream.StreamId, stream.ExpectedVersion, actual);
            return position;
        }

        foreach (StoredRow row in rows)
        {
            if (statements.EventExists(row.Id))
            {
                stream.Refusal = StoreGuards.AlreadyStored(stream.StreamId, [.. rows.Select(r => r.Envelope)], row.Envelope.Id);
                return position;
            }
        }

        for (int i = 0; i < rows.Length; i++)
        {
            // Checked above: none of the stream's events is stored yet.
            statements.InsertEvent(rows[i], ++position);
            statements.InsertStream(stream.StreamId, actual + i + 1, position);
            inserted.Add((position, rows[i]));
        }

        stream.Version = actual + rows.Length;
        return position;
    }
}
