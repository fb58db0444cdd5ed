namespace EventBus;

/// <summary>The payload of a reported error (<c>error.reported</c>) and of a failed response.</summary>
/// <param name="Code">A stable, machine-readable code such as <c>ORDER_NOT_FOUND</c>.</param>
/// <param name="Message">A human-readable description.</param>
/// <param name="SourceEventId">The event whose handling failed, or null.</param>
/// <param name="Details">Further facts, or null.</param>
public sealed record ErrorDetails(string Code, string Message, Guid? SourceEventId = null, IReadOnlyDictionary<string, object?>? Details = null);
