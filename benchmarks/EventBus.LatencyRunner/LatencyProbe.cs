namespace EventBus.LatencyRunner;

/// <summary>
/// The payload of a measured event: the publisher stamps it just before publishing, the handler reads it.
/// Probes and their envelopes are reused round a ring far larger than the bus can hold in flight.
/// </summary>
internal sealed class LatencyProbe
{
    private long _publishedAt;

    public long PublishedAt
    {
        get => Volatile.Read(ref _publishedAt);
        set => Volatile.Write(ref _publishedAt, value);
    }
}
