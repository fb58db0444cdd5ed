using System.Text.RegularExpressions;

namespace EventBus;

/// <summary>
/// Builds user-supplied regular expressions for the linear-time engine (<see cref="RegexOptions.NonBacktracking"/>)
/// with a match timeout and a length limit, so a hostile pattern can not stall dispatch. Every regex filter uses it.
/// </summary>
internal static class SafeRegex
{
    /// <summary>The longest pattern accepted, in characters.</summary>
    public const int MaxPatternLength = 1_000;

    /// <summary>How long one match may run before it counts as no match (and is logged by the bus).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Compiles <paramref name="pattern"/>, or throws an exception that names it and says what to change.</summary>
    public static Regex Create(string pattern, string paramName)
    {
        ArgumentNullException.ThrowIfNull(pattern, paramName);
        if (pattern.Length == 0)
        {
            throw new ArgumentException("The regular expression is empty; pass a pattern such as '^order\\.(placed|paid)$', or '.*' to match everything.", paramName);
        }

        if (pattern.Length > MaxPatternLength)
        {
            throw new ArgumentException($"The regular expression is {pattern.Length} characters long; the limit is {MaxPatternLength}. Use a shorter pattern, or a type pattern such as 'order.#'.", paramName);
        }

        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (NotSupportedException exception)
        {
            throw new ArgumentException(
                $"The regular expression '{Display.Escape(pattern)}' can not run on the linear-time engine that keeps dispatch safe: {exception.Message} Remove backreferences, lookarounds and atomic groups, or bound large repetitions.",
                paramName,
                exception);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"The regular expression '{Display.Escape(pattern)}' is not valid: {exception.Message}", paramName, exception);
        }
    }
}
