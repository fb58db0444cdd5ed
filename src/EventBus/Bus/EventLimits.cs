namespace EventBus;

/// <summary>
/// Size limits on a published event's text, checked by the bus when the event is published (before anything of it is
/// accepted). They keep one oversized event from filling memory, the logs or a store. The type name has a fixed limit
/// of its own (256 characters, 32 segments).
/// </summary>
public sealed class EventLimits
{
    /// <summary>
    /// Gets or sets the longest source, target, workflow id, phase, correlation id or metadata key, in characters.
    /// </summary>
    /// <value>The default value is 256.</value>
    public int MaxIdLength { get; set; } = 256;

    /// <summary>Gets or sets the most metadata entries an event may carry.</summary>
    /// <value>The default value is 64.</value>
    public int MaxMetadataCount { get; set; } = 64;

    /// <summary>Gets or sets the longest metadata value, in characters.</summary>
    /// <value>The default value is 8,192.</value>
    public int MaxMetadataValueLength { get; set; } = 8_192;

    internal EventLimits Clone() => (EventLimits)MemberwiseClone();

    /// <summary>Lists every problem with the limits.</summary>
    internal void Validate(List<string> errors)
    {
        if (MaxIdLength < 1)
        {
            errors.Add($"EventBusOptions.Limits.MaxIdLength is {MaxIdLength}; it must be at least 1 (the default is 256).");
        }

        if (MaxMetadataCount < 0)
        {
            errors.Add($"EventBusOptions.Limits.MaxMetadataCount is {MaxMetadataCount}; it must be zero or more (the default is 64).");
        }

        if (MaxMetadataValueLength < 0)
        {
            errors.Add($"EventBusOptions.Limits.MaxMetadataValueLength is {MaxMetadataValueLength}; it must be zero or more (the default is 8,192).");
        }
    }

    /// <summary>
    /// Throws what the bus throws when it is handed an event beyond these limits; for publishers of one's own (the test
    /// fakes use it) that must refuse what the bus refuses. Three comparisons of figures the envelope computed when it
    /// was built.
    /// </summary>
    /// <param name="envelope">The event.</param>
    /// <param name="paramName">The parameter the event was passed as, named in the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> is null.</exception>
    /// <exception cref="ArgumentException">The event exceeds a limit; the message names the field, its size and the limit.</exception>
    public void ThrowIfExceeded(EventEnvelope envelope, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.LongestId > MaxIdLength || envelope.Metadata.Count > MaxMetadataCount || envelope.LongestMetadataValue > MaxMetadataValueLength)
        {
            throw new ArgumentException(Describe(envelope), paramName);
        }
    }

    private string Describe(EventEnvelope envelope)
    {
        string what = $"Event '{envelope.Type}' ({envelope.Id})";
        foreach ((string field, string? value) in new[] { ("Source", envelope.Source), ("Target", envelope.Target), ("WorkflowId", envelope.WorkflowId), ("Phase", envelope.Phase), ("CorrelationId", envelope.CorrelationId) })
        {
            if (value is not null && value.Length > MaxIdLength)
            {
                return $"{what} has a {field} of {value.Length} characters ('{Display.Escape(value)}'); the limit is {MaxIdLength}. Shorten it, or raise EventBusOptions.Limits.MaxIdLength.";
            }
        }

        if (envelope.Metadata.Count > MaxMetadataCount)
        {
            return $"{what} has {envelope.Metadata.Count} metadata entries; the limit is {MaxMetadataCount}. Carry fewer, or raise EventBusOptions.Limits.MaxMetadataCount.";
        }

        foreach ((string key, string value) in envelope.Metadata)
        {
            if (key.Length > MaxIdLength)
            {
                return $"{what} has a metadata key of {key.Length} characters ('{Display.Escape(key)}'); the limit is {MaxIdLength}. Shorten it, or raise EventBusOptions.Limits.MaxIdLength.";
            }

            if (value.Length > MaxMetadataValueLength)
            {
                return $"{what} has metadata '{Display.Escape(key)}' of {value.Length} characters; the limit is {MaxMetadataValueLength}. Put large data in the payload, or raise EventBusOptions.Limits.MaxMetadataValueLength.";
            }
        }

        return $"{what} exceeds EventBusOptions.Limits.";
    }
}
