namespace EventBus;

/// <summary>
/// The payload of a stored event that could not be read back (its type no longer exists, or its stored form no
/// longer fits the type). The event is still returned, with this in place of its data, so one bad payload never
/// stops a query or a replay; <see cref="EventReplayer"/> skips such events and reports them.
/// </summary>
public sealed record UnreadablePayload
{
    /// <summary>Gets the payload type name as stored.</summary>
    public required string TypeName { get; init; }

    /// <summary>Gets the stored payload.</summary>
    public required string Json { get; init; }

    /// <summary>Gets why it could not be read.</summary>
    public required string Error { get; init; }
}
