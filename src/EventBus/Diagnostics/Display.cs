using System.Globalization;
using System.Text;

namespace EventBus;

/// <summary>
/// Makes untrusted text safe to put into exception messages and log lines: control characters are escaped (so a
/// value can not forge a new log line or hide the rest of one) and long values are cut short.
/// </summary>
internal static class Display
{
    /// <summary>The most characters of a value shown before it is cut short.</summary>
    public const int MaxShown = 64;

    /// <summary>Returns <paramref name="value"/> with control characters escaped, cut to <see cref="MaxShown"/> characters.</summary>
    public static string Escape(string? value)
    {
        if (value is null)
        {
            return "(null)";
        }

        if (value.Length <= MaxShown && !HasControlCharacters(value))
        {
            return value;
        }

        StringBuilder shown = new(Math.Min(value.Length, MaxShown) + 16);
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, MaxShown)))
        {
            _ = c switch
            {
                '\n' => shown.Append(@"\n"),
                '\r' => shown.Append(@"\r"),
                '\t' => shown.Append(@"\t"),
                '\0' => shown.Append(@"\0"),
                _ when char.IsControl(c) => shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => shown.Append(c),
            };
        }

        if (value.Length > MaxShown)
        {
            shown.Append(CultureInfo.InvariantCulture, $"... ({value.Length} characters)");
        }

        return shown.ToString();
    }

    /// <summary>Returns true when <paramref name="value"/> holds a control character (a line break, a NUL, an escape).</summary>
    public static bool HasControlCharacters(string value) => value.AsSpan().ContainsAnyInRange('\0', '\u001f') || value.Contains('\u007f', StringComparison.Ordinal);
}
