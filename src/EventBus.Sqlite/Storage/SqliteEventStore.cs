using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// An <see cref="IEventStore"/> on an embedded SQLite file: WAL journal, one writer that commits queued appends in
/// batches (group commit), readers that run beside it, a schema created on first use and migrated by version, and
/// indexes for the query criteria. Critical appends return once their batch is committed; standard appends return
/// once queued. It also keeps the bus's dead letters (<see cref="IDeadLetterStore"/>), so that they survive a restart,
/// serves as the durable outbox of external publishers (<see cref="IEventLog"/>), and keeps transport consumers' inboxes
/// (<see cref="IInboxStore"/>) and event streams with optimistic concurrency (<see cref="IEventStreamStore"/>).
/// </summary>
public sealed partial class SqliteEventStore : IEventStore, IDeadLetterStore, IEventLog, IInboxStore, IEventStreamStore
{
    /// <summary>How long a statement waits for another connection's write lock: Microsoft.Data.Sqlite's default command timeout.</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly SqliteEventStoreOptions _options;
    private readonly string _connectionString;
    private readonly PayloadSerializer _payloads;
    private readonly ILogger _logger;
    private readonly Channel<WriteRequest> _writes;
    private readonly Task _writer;
    private readonly LogReader _logReader;
    private long _writeFailures;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteEventStore"/> class: opens (or creates) the file and brings its schema up to date.</summary>
    /// <param name="options">The file's path and the write settings.</param>
    /// <param name="logger">Logs failed background writes, or null.</param>
    /// <exception cref="EventStoreException">The file is not a SQLite database, belongs to another application, or has a newer schema.</exception>
    public SqliteEventStore(SqliteEventStoreOptions options, ILogger<SqliteEventStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _payloads = new PayloadSerializer(options.JsonOptions, options.PayloadTypes, options.Catalog);
        _logReader = new LogReader(Open, _payloads, Columns);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = options.Path, Pooling = true }.ToString();
        Initialize();
        _writes = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
        _checkpointer = Task.Run(CheckpointLoopAsync);
    }

    /// <summary>Gets the number of background (standard-level) writes that failed; each is logged.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Gets the database file's path.</summary>
    public string Path => _options.Path;

    /// <inheritdoc />
    public ValueTask AppendAsync(EventEnvelope envelope, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        StoreGuards.ThrowIfNotStorable(level);
        return EnqueueAsync(new WriteRequest(new StoredRow(envelope, _payloads), null, level == PersistenceLevel.Critical ? NewSignal() : null), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, PersistenceLevel level = PersistenceLevel.Standard, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidBatch(envelopes);
        StoreGuards.ThrowIfNotStorable(level);
        return envelopes.Count == 0
            ? ValueTask.CompletedTask
            : EnqueueAsync(new WriteRequest(null, [.. envelopes.Select(envelope => new StoredRow(envelope, _payloads))], level == PersistenceLevel.Critical ? NewSignal() : null), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        EnqueueAsync(new WriteRequest(null, null, NewSignal()), cancellationToken);

    /// <summary>Commits what is queued, stops the writer and releases the file.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _checkpointRequests.Writer.TryComplete();
        await _checkpointer.ConfigureAwait(false);
        _logReader.Dispose();
        using SqliteConnection connection = new(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async ValueTask EnqueueAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (!_writes.Writer.TryWrite(request))
        {
            try
            {
                await _writes.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException closed) when (closed.InnerException is EventStoreException failure)
            {
                // The writer stopped on an error (see FailWriter): report that error, not the closed queue.
                throw new EventStoreException(failure.Message, failure);
            }
        }

        if (request.Committed is { } committed)
        {
            await committed.Task.ConfigureAwait(false);
        }
    }

    private SqliteConnection Open()
    {
        SqliteConnection connection = new(_connectionString);
        connection.Open();

        // Statements stepped on SQLite's own API do not get Microsoft.Data.Sqlite's retry on a busy file, so a write
        // outside the writer (a snapshot, the inbox) would fail at once while the writer commits: wait as its commands do.
        raw.sqlite3_busy_timeout(connection.Handle, BusyTimeoutMilliseconds);
        return connection;
    }

    private void Initialize()
    {
        try
        {
            using SqliteConnection connection = Open();
            using (SqliteCommand wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            SchemaMigrations.Apply(connection, _options.Path, _options.IndexCorrelationId);
        }
        catch (SqliteException exception)
        {
            throw StoreErrors.For(exception, _options.Path, "opening");
        }
    }

    /// <summary>
    /// One queued write: an event, a batch, dead letters saved or removed, or nothing (a flush); <see cref="Committed"/>
    /// completes once it is committed.
    /// </summary>
    private readonly record struct WriteRequest(
        StoredRow? One,
        StoredRow[]? Many,
        TaskCompletionSource? Committed,
        DeadLetterRow[]? SavedLetters = null,
        byte[][]? RemovedLetters = null,
        (string Name, long Position)? Checkpoint = null,
        InboxEntry[]? Inbox = null,
        StreamAppend? Stream = null)
    {
        /// <summary>Gets the number of rows the request writes, which the writer's batch size counts.</summary>
        public int Rows => (One is null ? 0 : 1) + (Many?.Length ?? 0) + (SavedLetters?.Length ?? 0) + (RemovedLetters?.Length ?? 0) + (Checkpoint is null ? 0 : 1) + (Inbox?.Length ?? 0);
    }
}
