namespace EventBus;

/// <summary>A query together with the response that answered it.</summary>
public sealed class QueryResponse
{
    internal QueryResponse(EventEnvelope query, EventEnvelope response)
    {
        Query = query;
        Response = response;
    }

    /// <summary>Gets the query that was sent.</summary>
    public EventEnvelope Query { get; }

    /// <summary>Gets the response that answered it.</summary>
    public EventEnvelope Response { get; }

    /// <summary>Gets a value indicating whether the responder reported success (<see cref="EventMetadataKeys.Success"/> is not <c>false</c>).</summary>
    public bool Succeeded =>
        !(Response.Metadata.TryGetValue(EventMetadataKeys.Success, out string? success) && string.Equals(success, "false", StringComparison.OrdinalIgnoreCase));

    /// <summary>Gets the response's payload.</summary>
    public object? Data => Response.Data;

    /// <summary>Gets the error a failed response carries, or null when it carries none.</summary>
    public ErrorDetails? Error => Response.Data as ErrorDetails;

    /// <summary>Gets the payload as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected payload type.</typeparam>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidOperationException">The payload is missing or of another type.</exception>
    public T GetData<T>() => Response.GetData<T>();

    /// <summary>Returns this response when it succeeded.</summary>
    /// <returns>This response.</returns>
    /// <exception cref="QueryFailedException">The responder reported failure.</exception>
    public QueryResponse EnsureSuccess() => Succeeded ? this : throw new QueryFailedException(this);

    /// <inheritdoc />
    public override string ToString() => $"{Query.Type} {Query.Id} answered by {Response.Id}: {(Succeeded ? "success" : "failure")}";
}
