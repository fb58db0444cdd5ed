namespace EventBus;

/// <summary>An event of a stream, with its version in the stream.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The event's version: 1 for the stream's first event.</param>
/// <param name="Event">The event.</param>
public sealed record StreamEvent(string StreamId, long Version, EventEnvelope Event);
