namespace EventBus;

/// <summary>The payload of a reported error (<c>error.reported</c>) and of a failed response.</summary>
public sealed record ErrorDetails
{
    /// <summary>Initializes a new instance of the <see cref="ErrorDetails"/> record.</summary>
    /// <param name="code">A stable, machine-readable code such as <c>ORDER_NOT_FOUND</c>.</param>
    /// <param name="message">A human-readable description.</param>
    public ErrorDetails(string code, string message)
    {
        Code = code;
        Message = message;
    }

    /// <summary>Gets a stable, machine-readable code such as <c>ORDER_NOT_FOUND</c>.</summary>
    public string Code { get; init; }

    /// <summary>Gets a human-readable description.</summary>
    public string Message { get; init; }

    /// <summary>Gets the event whose handling failed, or null.</summary>
    public Guid? SourceEventId { get; init; }

    /// <summary>Gets further facts, or null.</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }
}
