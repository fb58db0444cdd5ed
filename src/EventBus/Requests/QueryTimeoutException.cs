namespace EventBus;

/// <summary>Thrown when no response to a query arrived within its timeout: no responder matched it, or the responder was too slow.</summary>
public sealed class QueryTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="QueryTimeoutException"/> class.</summary>
    public QueryTimeoutException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QueryTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    public QueryTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QueryTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QueryTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal QueryTimeoutException(EventEnvelope query, TimeSpan timeout, Exception innerException)
        : base(
            $"Query '{query.Type}' ({query.Id}){(query.Target is null ? string.Empty : $" to '{query.Target}'")} got no response within {timeout}. Check that a responder subscribes to '{query.Type}' (QueryClient.Respond) and answers with MessagePublisher.PublishResponseAsync, or raise the timeout.",
            innerException)
    {
        Query = query;
        Timeout = timeout;
    }

    /// <summary>Gets the query that got no response.</summary>
    public EventEnvelope? Query { get; }

    /// <summary>Gets how long the requester waited.</summary>
    public TimeSpan Timeout { get; }
}
