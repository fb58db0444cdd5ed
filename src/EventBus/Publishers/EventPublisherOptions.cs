namespace EventBus;

/// <summary>Settings shared by the typed publishers (<see cref="WorkflowEventPublisher"/>, <see cref="MessagePublisher"/>, <see cref="OperationEventPublisher"/>).</summary>
public sealed class EventPublisherOptions
{
    /// <summary>Gets or sets the id stamped as every event's <see cref="EventEnvelope.Source"/>. The default is the application's name.</summary>
    public string Source { get; set; } = EventBuilder.DefaultSource;

    /// <summary>
    /// Gets or sets a value indicating whether publishing is best-effort: when the
    /// bus is stopped or full, a helper logs a warning and returns a failed <see cref="PublishResult"/> instead of
    /// throwing. The default, false, surfaces those errors as exceptions. Invalid input always throws.
    /// </summary>
    public bool BestEffort { get; set; }

    /// <summary>
    /// Gets or sets how many live workflows a <see cref="WorkflowEventPublisher"/> remembers (for causation and the
    /// current phase). A workflow is forgotten at its terminal event; past this bound, the least recently used one is
    /// forgotten too, counted in <see cref="WorkflowEventPublisher.EvictedWorkflows"/>, and its later events are caused
    /// by nothing until it starts a phase again.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public int MaxTrackedWorkflows { get; set; } = 10_000;

    /// <summary>Gets or sets how long <see cref="QueryClient"/> waits for a response when the call names no timeout. The default is 30 seconds.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists what is wrong with these options, each naming the value and the fix.</summary>
    internal List<string> Validate()
    {
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(Source))
        {
            errors.Add("EventPublisherOptions.Source is empty; name the application or service the events come from, such as \"billing\".");
        }

        if (MaxTrackedWorkflows < 1)
        {
            errors.Add($"EventPublisherOptions.MaxTrackedWorkflows is {MaxTrackedWorkflows}; it must be at least 1.");
        }

        if (QueryTimeout <= TimeSpan.Zero || QueryTimeout == Timeout.InfiniteTimeSpan)
        {
            errors.Add($"EventPublisherOptions.QueryTimeout is {QueryTimeout}; it must be positive, such as 00:00:30.");
        }

        return errors;
    }
}
