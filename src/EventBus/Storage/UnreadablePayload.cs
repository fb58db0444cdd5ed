namespace EventBus;

/// <summary>
/// The payload of a stored event that could not be read back (its type no longer exists, or its stored form no
/// longer fits the type). The event is still returned, with this in place of its data, so one bad payload never
/// stops a query or a replay; <see cref="EventReplayer"/> skips such events and reports them.
/// </summary>
/// <param name="TypeName">The payload type name as stored.</param>
/// <param name="Json">The stored payload.</param>
/// <param name="Error">Why it could not be read.</param>
public sealed record UnreadablePayload(string TypeName, string Json, string Error);
