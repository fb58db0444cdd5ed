namespace EventBus;

/// <summary>Settings shared by the typed publishers (<see cref="WorkflowEventPublisher"/>, <see cref="MessagePublisher"/>, <see cref="OperationEventPublisher"/>).</summary>
public sealed class EventPublisherOptions
{
    /// <summary>Gets or sets the id stamped as every event's <see cref="EventEnvelope.Source"/>. The default is the application's name.</summary>
    public string Source { get; set; } = EventBuilder.DefaultSource;

    /// <summary>
    /// Gets or sets a value indicating whether publishing is best-effort (seed 001's graceful degradation): when the
    /// bus is stopped or full, a helper logs a warning and returns a failed <see cref="PublishResult"/> instead of
    /// throwing. The default, false, surfaces those errors as exceptions. Invalid input always throws.
    /// </summary>
    public bool BestEffort { get; set; }

    /// <summary>Gets or sets how long <see cref="QueryClient"/> waits for a response when the call names no timeout. The default is 30 seconds.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
