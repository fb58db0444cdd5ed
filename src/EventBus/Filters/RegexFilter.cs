using System.Text.RegularExpressions;

namespace EventBus;

/// <summary>
/// Matches event types against a user-supplied regular expression, compiled for the linear-time engine
/// (<see cref="RegexOptions.NonBacktracking"/>) with a match timeout, so a hostile pattern can not stall dispatch.
/// </summary>
internal sealed class RegexFilter : EventFilter
{
    /// <summary>The longest pattern accepted, in characters.</summary>
    public const int MaxPatternLength = 1_000;

    /// <summary>How long one match may run before it counts as no match (and is logged by the bus).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex;

    public RegexFilter(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new ArgumentException("The regular expression is empty; pass a pattern such as '^order\\.(placed|paid)$'.", nameof(pattern));
        }

        if (pattern.Length > MaxPatternLength)
        {
            throw new ArgumentException($"The regular expression is {pattern.Length} characters long; the limit is {MaxPatternLength}. Use a shorter pattern, or a type pattern such as 'order.#'.", nameof(pattern));
        }

        try
        {
            _regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (NotSupportedException exception)
        {
            throw new ArgumentException(
                $"The regular expression '{Shorten(pattern)}' can not run on the linear-time engine that keeps dispatch safe: {exception.Message} Remove backreferences, lookarounds and atomic groups, or bound large repetitions.",
                nameof(pattern),
                exception);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"The regular expression '{Shorten(pattern)}' is not valid: {exception.Message}", nameof(pattern), exception);
        }

        RegexPattern = pattern;
    }

    public string RegexPattern { get; }

    public override string Description => $"type matches regex '{Shorten(RegexPattern)}'";

    public override bool Matches(EventEnvelope envelope) => _regex.IsMatch(envelope.Type);

    private static string Shorten(string pattern) => Display.Escape(pattern);
}
