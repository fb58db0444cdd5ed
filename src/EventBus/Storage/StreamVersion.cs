namespace EventBus;

/// <summary>The expected versions with a meaning of their own, for <see cref="IEventStreamStore.AppendToStreamAsync"/>.</summary>
public static class StreamVersion
{
    /// <summary>Append whatever the stream's version: no concurrency check.</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet (it has no events).</summary>
    public const long NoStream = 0;
}
