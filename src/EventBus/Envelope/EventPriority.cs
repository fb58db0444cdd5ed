namespace EventBus;

/// <summary>
/// How urgently an event should be dispatched. When a backlog builds up, <see cref="Critical"/> and
/// <see cref="High"/> events are dispatched ahead of queued <see cref="Normal"/> and <see cref="Low"/> ones.
/// </summary>
public enum EventPriority
{
    /// <summary>Background information; dispatched last under backlog.</summary>
    Low = 0,

    /// <summary>The default priority.</summary>
    Normal = 1,

    /// <summary>Dispatched ahead of normal and low events under backlog.</summary>
    High = 2,

    /// <summary>Dispatched ahead of everything else under backlog.</summary>
    Critical = 3,
}
