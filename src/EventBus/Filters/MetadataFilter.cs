namespace EventBus;

/// <summary>Matches events that carry a metadata key, optionally with one value (ordinal).</summary>
internal sealed class MetadataFilter : EventFilter
{
    private readonly string _key;
    private readonly string? _value;

    public MetadataFilter(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _key = key;
        _value = value;
    }

    // The value is never shown: a filter on a token or a key would otherwise put the secret into every log line that
    // describes the subscription.
    public override string Description => _value is null ? $"metadata has '{Display.Escape(_key)}'" : $"metadata '{Display.Escape(_key)}' is (a value, not shown)";

    public override bool Matches(EventEnvelope envelope) =>
        envelope.Metadata.TryGetValue(_key, out string? actual) && (_value is null || string.Equals(actual, _value, StringComparison.Ordinal));
}
