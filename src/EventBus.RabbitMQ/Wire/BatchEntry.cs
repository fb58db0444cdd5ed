namespace EventBus.RabbitMQ;

/// <summary>One event of a CloudEvents batch as read: the event, or why it could not be read, with its own JSON.</summary>
/// <param name="Event">The event; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the entry is refused; null when it was read.</param>
/// <param name="Json">A refused entry's own JSON, which is dead-lettered alone; empty for an event that was read.</param>
internal readonly record struct BatchEntry(EventEnvelope? Event, WireFormatException? Error, ReadOnlyMemory<byte> Json);
