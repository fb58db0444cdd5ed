namespace EventBus;

/// <summary>An event a consumer handled, as an <see cref="IInboxStore"/> keeps it.</summary>
/// <param name="Source">The event's source.</param>
/// <param name="Id">The event's id.</param>
/// <param name="HandledAt">When it was handled.</param>
public readonly record struct InboxEntry(string Source, Guid Id, DateTimeOffset HandledAt);
