using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventBus;

/// <summary>
/// Request/response over the asynchronous bus: <see cref="SendAsync(string, object?, string?, TimeSpan?, CancellationToken)"/>
/// publishes a query and awaits the response caused by it, and <see cref="Respond"/> answers queries. Responses are
/// matched to their queries through a table of pending requests keyed by the query id (the response's causation id),
/// so thousands of concurrent requests each get their own response without polling.
/// </summary>
/// <example>
/// <code>
/// queries.Respond("stock.level", (query, ct) => ValueTask.FromResult&lt;object?&gt;(stock.Level(query.GetData&lt;string&gt;())));
/// int level = await queries.SendAsync&lt;int&gt;("stock.level", "sku-1", timeout: TimeSpan.FromSeconds(2));
/// </code>
/// </example>
public sealed class QueryClient : IAsyncDisposable
{
    private readonly IEventBus _bus;
    private readonly MessagePublisher _messages;
    private readonly TimeSpan _defaultTimeout;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<EventEnvelope>> _pending = new();
    private readonly Lock _subscribeLock = new();
    private ISubscription? _responses;
    private long _unmatched;

    /// <summary>Initializes a new instance of the <see cref="QueryClient"/> class.</summary>
    /// <param name="bus">The bus that carries queries and responses.</param>
    /// <param name="options">The source id (responses are addressed to it), the best-effort policy and the default timeout, or null.</param>
    /// <param name="logger">Logs responses that arrive too late, or null.</param>
    public QueryClient(IEventBus bus, EventPublisherOptions? options = null, ILogger<QueryClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        options ??= new EventPublisherOptions();
        ThrowIfInvalidTimeout(options.QueryTimeout, "options.QueryTimeout");
        _bus = bus;
        _messages = new MessagePublisher(bus, options);
        _defaultTimeout = options.QueryTimeout;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the number of queries waiting for a response.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Gets the number of responses addressed to this client's source that matched no pending query: they arrived
    /// after their requester stopped waiting (timeout or cancellation), or belong to another client with the same source.
    /// </summary>
    public long UnmatchedResponses => Interlocked.Read(ref _unmatched);

    /// <summary>Publishes a query and waits for its response.</summary>
    /// <param name="queryName">The query, used as the event type.</param>
    /// <param name="parameters">The query's parameters, or null.</param>
    /// <param name="target">The responder's id, or null for any responder.</param>
    /// <param name="timeout">How long to wait; <see cref="EventPublisherOptions.QueryTimeout"/> when null. The query expires then too.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The query and its response, which may report failure (see <see cref="QueryResponse.Succeeded"/>).</returns>
    /// <exception cref="QueryTimeoutException">No response arrived in time; the message names the query.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<QueryResponse> SendAsync(
        string queryName,
        object? parameters = null,
        string? target = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        TimeSpan wait = timeout ?? _defaultTimeout;
        ThrowIfInvalidTimeout(wait, nameof(timeout));
        EnsureSubscribed();
        TimeProvider time = _bus.TimeProvider;
        EventEnvelope query = _messages.BuildQuery(queryName, parameters, target, correlationId: null, time.GetUtcNow() + wait);

        // Registered before publishing: the response may arrive before PublishAsync returns.
        TaskCompletionSource<EventEnvelope> pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[query.Id] = pending;
        try
        {
            PublishResult published = await _messages.PublishAsync(query, cancellationToken).ConfigureAwait(false);
            if (published.Error is { } error)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            EventEnvelope response = await pending.Task.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
            return new QueryResponse(query, response);
        }
        catch (TimeoutException timedOut) when (!pending.Task.IsCompleted)
        {
            throw new QueryTimeoutException(query, wait, timedOut);
        }
        finally
        {
            _pending.TryRemove(query.Id, out _);
        }
    }

    /// <summary>Publishes a query and returns its successful response's payload.</summary>
    /// <typeparam name="TResult">The expected payload type.</typeparam>
    /// <param name="queryName">The query, used as the event type.</param>
    /// <param name="parameters">The query's parameters, or null.</param>
    /// <param name="target">The responder's id, or null for any responder.</param>
    /// <param name="timeout">How long to wait; <see cref="EventPublisherOptions.QueryTimeout"/> when null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The response's payload.</returns>
    /// <exception cref="QueryFailedException">The responder reported failure.</exception>
    /// <exception cref="QueryTimeoutException">No response arrived in time.</exception>
    /// <exception cref="InvalidOperationException">The response's payload is not a <typeparamref name="TResult"/>.</exception>
    public async ValueTask<TResult> SendAsync<TResult>(
        string queryName,
        object? parameters = null,
        string? target = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        QueryResponse response = await SendAsync(queryName, parameters, target, timeout, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess().GetData<TResult>();
    }

    /// <summary>Sends a typed query to any responder, within <see cref="EventPublisherOptions.QueryTimeout"/>, and returns its successful response's payload.</summary>
    /// <typeparam name="TResponse">The answer's type, from the query's <see cref="IQuery{TResponse}"/>.</typeparam>
    /// <param name="query">The query; its event type comes from its runtime type (<see cref="EventTypeDescriptor.For(Type)"/>).</param>
    /// <returns>The answer.</returns>
    /// <exception cref="QueryFailedException">The handler failed; the exception carries its error.</exception>
    /// <exception cref="QueryTimeoutException">No response arrived in time; the message names the query.</exception>
    public ValueTask<TResponse> SendAsync<TResponse>(IQuery<TResponse> query) =>
        SendAsync(query, timeout: null, target: null, CancellationToken.None);

    /// <summary>Sends a typed query to any responder, within <see cref="EventPublisherOptions.QueryTimeout"/>, and returns its successful response's payload.</summary>
    /// <typeparam name="TResponse">The answer's type, from the query's <see cref="IQuery{TResponse}"/>.</typeparam>
    /// <param name="query">The query; its event type comes from its runtime type (<see cref="EventTypeDescriptor.For(Type)"/>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="QueryFailedException">The handler failed; the exception carries its error.</exception>
    /// <exception cref="QueryTimeoutException">No response arrived in time; the message names the query.</exception>
    /// <exception cref="InvalidOperationException">The response's payload is not a <typeparamref name="TResponse"/>.</exception>
    public ValueTask<TResponse> SendAsync<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken) =>
        SendAsync(query, timeout: null, target: null, cancellationToken);

    /// <summary>Sends a typed query and returns its successful response's payload.</summary>
    /// <typeparam name="TResponse">The answer's type, from the query's <see cref="IQuery{TResponse}"/>.</typeparam>
    /// <param name="query">The query; its event type comes from its runtime type (<see cref="EventTypeDescriptor.For(Type)"/>).</param>
    /// <param name="timeout">How long to wait; <see cref="EventPublisherOptions.QueryTimeout"/> when null. The query expires then too.</param>
    /// <param name="target">The responder's id, or null for any responder.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="QueryFailedException">The handler failed; the exception carries its error.</exception>
    /// <exception cref="QueryTimeoutException">No response arrived in time; the message names the query.</exception>
    /// <exception cref="InvalidOperationException">The response's payload is not a <typeparamref name="TResponse"/>.</exception>
    public async ValueTask<TResponse> SendAsync<TResponse>(IQuery<TResponse> query, TimeSpan? timeout, string? target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        QueryResponse response = await SendAsync(PayloadTypes.Of(query).Type, query, target, timeout, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess().GetData<TResponse>()!;
    }

    /// <summary>
    /// Answers the queries whose type matches <paramref name="queryPattern"/>: the handler's result becomes a successful
    /// response; an exception becomes a failed response carrying <see cref="ErrorDetails"/> (code = the exception's type
    /// name) and is then counted and logged by the bus as a handler failure.
    /// </summary>
    /// <param name="queryPattern">An exact query type or a pattern (see <see cref="EventFilter.Pattern"/>).</param>
    /// <param name="handler">Computes the answer.</param>
    /// <param name="options">Subscription settings; by default the buffer waits instead of dropping queries.</param>
    /// <returns>A handle on the responder's subscription.</returns>
    public ISubscription Respond(
        string queryPattern,
        Func<EventEnvelope, CancellationToken, ValueTask<object?>> handler,
        SubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        EventFilter filter = EventFilter.Pattern(queryPattern).And(EventFilter.Kind(EventKind.Query));
        return _bus.Subscribe(
            filter,
            (query, cancellationToken) => QueryAnswer.AnswerAsync(_messages, query, handler, cancellationToken),
            options ?? new SubscriptionOptions { SubscriberId = "responder:" + queryPattern, FullMode = SubscriptionFullMode.Wait });
    }

    /// <summary>Removes the response subscription and fails nothing: queries still pending time out or are cancelled as usual.</summary>
    /// <returns>A task that completes when the subscription is removed.</returns>
    public async ValueTask DisposeAsync()
    {
        ISubscription? responses = Interlocked.Exchange(ref _responses, null);
        if (responses is not null)
        {
            await responses.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private static void ThrowIfInvalidTimeout(TimeSpan timeout, string name)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"Query timeout {timeout} must be positive (or Timeout.InfiniteTimeSpan).");
        }
    }

    private void EnsureSubscribed()
    {
        if (Volatile.Read(ref _responses) is not null)
        {
            return;
        }

        lock (_subscribeLock)
        {
            string source = _messages.Source;
            _responses ??= _bus.Subscribe(
                EventFilter.Kind(EventKind.Response).And(EventFilter.Where(e => e.Target is null || e.Target == source, "addressed to " + source)),
                OnResponse,
                new SubscriptionOptions { SubscriberId = "query-client:" + source, FullMode = SubscriptionFullMode.Wait });
        }
    }

    private ValueTask OnResponse(EventEnvelope response, CancellationToken cancellationToken)
    {
        if (response.CausationId is { } queryId && _pending.TryRemove(queryId, out TaskCompletionSource<EventEnvelope>? pending))
        {
            pending.TrySetResult(response);
        }
        else
        {
            Interlocked.Increment(ref _unmatched);
            Log.LateResponse(_logger, response.Id, response.CausationId ?? Guid.Empty);
        }

        return ValueTask.CompletedTask;
    }
}
