namespace EventBus;

/// <summary>Events read from an <see cref="IEventLog"/>, and the position to read on from.</summary>
public sealed class EventLogPage
{
    /// <summary>Gets the events, oldest first.</summary>
    public required IReadOnlyList<EventEnvelope> Events { get; init; }

    /// <summary>Gets the position of the last event read: pass it to the next <see cref="IEventLog.ReadAfterAsync"/>.</summary>
    public required long Position { get; init; }
}
