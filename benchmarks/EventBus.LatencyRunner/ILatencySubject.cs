namespace EventBus.LatencyRunner;

/// <summary>What the runner measures: the bus, or the raw bounded channel that is its floor.</summary>
internal interface ILatencySubject : IAsyncDisposable
{
    /// <summary>Hands one event over; completes once it is accepted (waiting while the subject is full).</summary>
    ValueTask PublishAsync(EventEnvelope envelope);

    /// <summary>Completes once every event handed over so far was handled.</summary>
    Task WaitForIdleAsync();
}
