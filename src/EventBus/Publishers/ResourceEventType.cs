namespace EventBus;

/// <summary>The resource events of a workflow.</summary>
public enum ResourceEventType
{
    /// <summary>A resource allocation was requested (resource.requested).</summary>
    Requested = 0,

    /// <summary>Resources were allocated (resource.allocated).</summary>
    Allocated = 1,

    /// <summary>Resources were freed (resource.released).</summary>
    Released = 2,

    /// <summary>Not enough resources were available (resource.insufficient).</summary>
    Insufficient = 3,

    /// <summary>A resource allocation conflict was detected (resource.conflict).</summary>
    Conflict = 4,
}
