using System.Text.RegularExpressions;

namespace EventBus;

/// <summary>
/// Matches one field of the event (the type, the workflow id, the phase) against a user-supplied regular expression
/// built by <see cref="SafeRegex"/>. The expression searches the value, as <c>[[ value =~ pattern ]]</c> does in a
/// shell: anchor it with <c>^</c> and <c>$</c> to match the whole value. A field the event lacks is matched as the
/// empty string, so <c>.*</c> matches every event.
/// </summary>
internal sealed class RegexFilter : EventFilter
{
    private readonly Regex _regex;
    private readonly string _field;
    private readonly Func<EventEnvelope, string?> _value;

    public RegexFilter(string field, Func<EventEnvelope, string?> value, string pattern, string paramName)
    {
        _regex = SafeRegex.Create(pattern, paramName);
        _field = field;
        _value = value;
        RegexPattern = pattern;
    }

    public string RegexPattern { get; }

    public override string Description => $"{_field} matches regex '{Display.Escape(RegexPattern)}'";

    public override bool Matches(EventEnvelope envelope) => _regex.IsMatch(_value(envelope) ?? string.Empty);
}
