namespace EventBus;

/// <summary>Thrown when a query's responder reported failure.</summary>
public sealed class QueryFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="QueryFailedException"/> class.</summary>
    public QueryFailedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QueryFailedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public QueryFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QueryFailedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QueryFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal QueryFailedException(QueryResponse response)
        : base(
            $"Query '{response.Query.Type}' ({response.Query.Id}) failed: " +
            (response.Error is { } error ? $"{error.Code}: {error.Message}" : $"the response {response.Response.Id} reports failure"))
    {
        Result = response;
    }

    /// <summary>Gets the query and its failed response.</summary>
    public QueryResponse? Result { get; }

    /// <summary>Gets the error the response carries, or null.</summary>
    public ErrorDetails? Error => Result?.Error;
}
