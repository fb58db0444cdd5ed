using System.Diagnostics.CodeAnalysis;

namespace EventBus;

/// <summary>
/// One running operation, begun by <see cref="OperationEventPublisher.BeginAsync(string)"/>.
/// Call <see cref="Complete()"/> (or an overload) on success or <see cref="Fail(Exception)"/> on failure; disposing the
/// scope then publishes <c>.completed</c> with the execution time, or <c>.failed</c> with the error. A scope disposed
/// without either is reported failed, because an exception probably escaped it. The outcome events are caused by the
/// started event and share its correlation id.
/// </summary>
public sealed class OperationScope : IAsyncDisposable
{
    private readonly OperationEventPublisher _owner;
    private readonly string _operation;
    private readonly long _startedTimestamp;
    private IReadOnlyDictionary<string, string>? _resultSummary;
    private (string Type, string Message)? _failure;
    private int _ended;

    internal OperationScope(OperationEventPublisher owner, string operation, PublishResult started, long startedTimestamp)
    {
        _owner = owner;
        _operation = operation;
        StartResult = started;
        _startedTimestamp = startedTimestamp;
    }

    /// <summary>Gets the <c>.started</c> event.</summary>
    public EventEnvelope Started => StartResult.Event;

    /// <summary>Gets what happened to the <c>.started</c> event.</summary>
    public PublishResult StartResult { get; }

    /// <summary>Gets what happened to the outcome event, once the scope has ended.</summary>
    public PublishResult? EndResult { get; private set; }

    /// <summary>Marks the operation successful with no result.</summary>
    public void Complete() => SetOutcome(PayloadSummary.Empty, null);

    /// <summary>Marks the operation successful; only the result's field names and type names are published.</summary>
    /// <typeparam name="TResult">The result's type; a dictionary is summarised by its keys, any other type by its public properties.</typeparam>
    /// <param name="result">The result.</param>
    public void Complete<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TResult>(TResult result) =>
        SetOutcome(PayloadSummary.Of(result), null);

    /// <summary>Marks the operation failed with an exception; its type name and message are published.</summary>
    /// <param name="exception">The failure.</param>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        SetOutcome(null, (exception.GetType().Name, exception.Message));
    }

    /// <summary>Marks the operation failed with an error code and message.</summary>
    /// <param name="errorCode">A stable code.</param>
    /// <param name="message">What went wrong.</param>
    public void Fail(string errorCode, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        SetOutcome(null, (errorCode, message));
    }

    /// <summary>Ends the operation now, publishing its outcome; later calls and disposal do nothing.</summary>
    /// <param name="cancellationToken">Cancels a wait for room in the bus.</param>
    /// <returns>What happened to the outcome event.</returns>
    public async ValueTask<PublishResult> EndAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return EndResult ?? throw new InvalidOperationException($"Operation '{_operation}' is ending on another thread.");
        }

        TimeProvider time = _owner.Core.Time;
        double elapsedMs = time.GetElapsedTime(_startedTimestamp).TotalMilliseconds;
        DateTimeOffset now = time.GetUtcNow();
        EventBuilder builder;
        if (_resultSummary is { } summary && _failure is null)
        {
            builder = _owner.NewLifecycleEvent(_operation, "completed", EventKind.Notification)
                .WithData(new OperationCompleted { Operation = _operation, NodeId = _owner.Core.Source, CompletedAt = now, ExecutionTimeMs = elapsedMs, ResultSummary = summary });
        }
        else
        {
            (string type, string message) = _failure ?? ("OperationAbandoned", $"Operation '{_operation}' ended without Complete or Fail; an exception probably escaped its scope.");
            builder = _owner.NewLifecycleEvent(_operation, "failed", EventKind.Error)
                .WithData(new OperationFailed { Operation = _operation, NodeId = _owner.Core.Source, FailedAt = now, ExecutionTimeMs = elapsedMs, ErrorType = type, ErrorMessage = message });
        }

        EventEnvelope outcome = builder
            .CausedBy(Started)
            .WithMetadata(EventMetadataKeys.ExecutionTimeMs, OperationEventPublisher.Milliseconds(elapsedMs))
            .Build(time);
        EndResult = await _owner.Core.PublishAsync(outcome, cancellationToken).ConfigureAwait(false);
        return EndResult;
    }

    /// <summary>Ends the operation (see <see cref="EndAsync"/>) unless it has ended already.</summary>
    /// <returns>A task that completes when the outcome is published.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _ended) == 0)
        {
            await EndAsync().ConfigureAwait(false);
        }
    }

    private void SetOutcome(IReadOnlyDictionary<string, string>? resultSummary, (string, string)? failure)
    {
        if (Volatile.Read(ref _ended) == 1)
        {
            throw new InvalidOperationException($"Operation '{_operation}' has ended already; set its outcome before the scope ends.");
        }

        _resultSummary = resultSummary;
        _failure = failure;
    }
}
