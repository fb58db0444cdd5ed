namespace EventBus;

/// <summary>What an event asks of its receivers.</summary>
public enum EventKind
{
    /// <summary>Information about something that happened. This is the default kind.</summary>
    Notification = 0,

    /// <summary>A directive to perform an action.</summary>
    Command = 1,

    /// <summary>A request for information that expects a <see cref="Response"/>.</summary>
    Query = 2,

    /// <summary>The reply to a <see cref="Query"/>.</summary>
    Response = 3,

    /// <summary>A report that something went wrong.</summary>
    Error = 4,
}
